package io.kubeobserve.devstack.cluster.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The built-in scenarios, shipped as YAML resources next to this class ({@code <name>.yaml}), and
 * loading by name or file.
 */
public final class Scenarios {

  /** The built-in scenario names. */
  public static final List<String> BUILT_IN =
      List.of("steady", "oom-kill", "eviction-storm", "node-pressure", "node-not-ready", "crashloop", "demo");

  private Scenarios() {}

  /**
   * The built-in scenario {@code name}.
   *
   * @throws IllegalArgumentException when there is none of that name
   */
  public static Scenario builtIn(String name) {
    if (!BUILT_IN.contains(name)) {
      throw new IllegalArgumentException("no built-in scenario '" + name + "'; built-in: " + String.join(", ", BUILT_IN));
    }
    try (InputStream in = Scenarios.class.getResourceAsStream(name + ".yaml")) {
      if (in == null) {
        throw new IllegalStateException("missing resource of built-in scenario " + name);
      }
      return ScenarioFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read built-in scenario " + name, e);
    }
  }

  /**
   * A built-in scenario by name, else the scenario file at that path.
   *
   * @throws IllegalArgumentException when it is neither, or the file is not a valid scenario
   */
  public static Scenario load(String nameOrFile) {
    if (BUILT_IN.contains(nameOrFile)) {
      return builtIn(nameOrFile);
    }
    Path file = Path.of(nameOrFile);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("'" + nameOrFile + "' is neither a built-in scenario ("
          + String.join(", ", BUILT_IN) + ") nor a scenario file");
    }
    return ScenarioFiles.read(file);
  }
}
