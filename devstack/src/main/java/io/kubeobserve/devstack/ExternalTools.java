package io.kubeobserve.devstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the external programs of the local stack ({@code prometheus}, {@code promtool}, {@code
 * alertmanager}, {@code kubectl}, ...) on the {@code PATH} and in the directories Debian installs
 * them to.
 *
 * <p>Tests call {@link #require(String)}: when a program is missing the test is skipped, unless the
 * system property {@value #REQUIRE_EXTERNAL_PROPERTY} is {@code true} (CI sets it), in which case
 * it fails. The system property {@code kube-observe.tool.<name>} points at a program explicitly,
 * for example {@code -Dkube-observe.tool.prometheus=/opt/prometheus/prometheus}.
 */
public final class ExternalTools {

  /** System property that turns a missing external program from a skip into a failure. */
  public static final String REQUIRE_EXTERNAL_PROPERTY = "kube-observe.requireExternal";

  /** Prefix of the system properties that name a program's path explicitly. */
  public static final String TOOL_PROPERTY_PREFIX = "kube-observe.tool.";

  private static final Logger log = LoggerFactory.getLogger(ExternalTools.class);

  /** Directories searched after the {@code PATH}: where Debian packages put programs. */
  private static final List<String> KNOWN_DIRECTORIES =
      List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin", "/sbin");

  /** Other names a program is installed under (Debian renames Alertmanager). */
  private static final Map<String, List<String>> ALIASES =
      Map.of("alertmanager", List.of("alertmanager", "prometheus-alertmanager"));

  /** The Debian package that provides a program, for the message when it is missing. */
  private static final Map<String, String> DEBIAN_PACKAGES =
      Map.of(
          "prometheus", "prometheus",
          "promtool", "prometheus",
          "alertmanager", "prometheus-alertmanager",
          "prometheus-alertmanager", "prometheus-alertmanager",
          "kubectl", "kubernetes-client",
          "setpriv", "util-linux",
          "runuser", "util-linux");

  private ExternalTools() {}

  /**
   * The program {@code tool}, if it is installed.
   *
   * @param tool a program name such as {@code prometheus} or {@code alertmanager}
   * @return the executable file, or empty when it is not found
   */
  public static Optional<Path> find(String tool) {
    return find(tool, System.getProperty(TOOL_PROPERTY_PREFIX + tool), System.getenv("PATH"));
  }

  /**
   * The program {@code tool} for a test: its path when installed; otherwise the test is skipped (a
   * {@link TestAbortedException}), or fails with an {@link IllegalStateException} when the system
   * property {@value #REQUIRE_EXTERNAL_PROPERTY} is {@code true}.
   *
   * @param tool a program name such as {@code prometheus} or {@code alertmanager}
   * @return the executable file
   */
  public static Path require(String tool) {
    return require(tool, find(tool), externalRequired());
  }

  /** Whether missing external programs fail tests instead of skipping them. */
  public static boolean externalRequired() {
    return Boolean.parseBoolean(System.getProperty(REQUIRE_EXTERNAL_PROPERTY, "false").trim());
  }

  /** The policy of {@link #require(String)}, apart from where its inputs come from. */
  static Path require(String tool, Optional<Path> found, boolean required) {
    if (found.isPresent()) {
      return found.get();
    }
    String missing = tool + " not found on PATH: install the Debian package " + debianPackage(tool);
    if (required) {
      throw new IllegalStateException(
          missing + "; " + REQUIRE_EXTERNAL_PROPERTY + "=true, so this is a failure, not a skip");
    }
    log.warn("{}; skipping", missing);
    throw new TestAbortedException(missing + "; skipping");
  }

  /** The search of {@link #find(String)}, apart from where its inputs come from. */
  static Optional<Path> find(String tool, String explicitPath, String searchPath) {
    if (explicitPath != null && !explicitPath.isBlank()) {
      Path explicit = Path.of(explicitPath.trim());
      if (isExecutableFile(explicit)) {
        return Optional.of(explicit.toAbsolutePath());
      }
      log.warn("{}{}={} is not an executable file", TOOL_PROPERTY_PREFIX, tool, explicitPath);
      return Optional.empty();
    }
    Set<String> directories = new LinkedHashSet<>();
    if (searchPath != null) {
      for (String entry : searchPath.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          directories.add(entry);
        }
      }
    }
    directories.addAll(KNOWN_DIRECTORIES);
    for (String name : ALIASES.getOrDefault(tool, List.of(tool))) {
      for (String directory : directories) {
        try {
          Path candidate = Path.of(directory, name);
          if (isExecutableFile(candidate)) {
            return Optional.of(candidate.toAbsolutePath());
          }
        } catch (InvalidPathException e) {
          log.debug("ignoring unusable PATH entry {}", directory);
        }
      }
    }
    return Optional.empty();
  }

  private static String debianPackage(String tool) {
    return DEBIAN_PACKAGES.getOrDefault(tool, tool);
  }

  private static boolean isExecutableFile(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }
}
