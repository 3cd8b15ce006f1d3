package io.kubeobserve.devstack.elasticsearch;

import io.kubeobserve.devstack.ExternalTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The user Elasticsearch runs as. Elasticsearch refuses to run as root, so when this JVM is root
 * the server runs as an unprivileged user ({@code nobody} unless the system property {@value
 * #USER_PROPERTY} names another), through {@code setpriv} or else {@code runuser}.
 */
record ServerUser(String name, int uid, int gid, List<String> commandPrefix) {

  /** System property naming the user Elasticsearch runs as when this JVM runs as root. */
  static final String USER_PROPERTY = "kube-observe.elasticsearch.user";

  /** Whether the server runs as another user than this JVM. */
  boolean switchesUser() {
    return !commandPrefix.isEmpty();
  }

  /** The user for this JVM: itself, or an unprivileged user when this JVM is root. */
  static ServerUser forThisJvm() {
    if (!runningAsRoot()) {
      return new ServerUser(System.getProperty("user.name"), -1, -1, List.of());
    }
    String name = System.getProperty(USER_PROPERTY, "nobody");
    String[] entry = passwdEntry(name);
    int uid = Integer.parseInt(entry[2]);
    int gid = Integer.parseInt(entry[3]);
    Optional<Path> setpriv = ExternalTools.find("setpriv");
    if (setpriv.isPresent()) {
      return new ServerUser(
          name,
          uid,
          gid,
          List.of(setpriv.get().toString(), "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
    }
    Path runuser =
        ExternalTools.find("runuser")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Elasticsearch refuses to run as root and neither setpriv nor runuser"
                            + " is installed (Debian package util-linux)"));
    return new ServerUser(name, uid, gid, List.of(runuser.toString(), "-u", name, "--"));
  }

  /**
   * Fails clearly when this user cannot reach {@code path} because a directory on the way is closed
   * to others (such as a {@code java.io.tmpdir} below {@code /root}).
   */
  void checkReachable(Path path, String what) {
    if (!switchesUser()) {
      return;
    }
    for (Path directory = path.toAbsolutePath();
        directory != null;
        directory = directory.getParent()) {
      if (!Files.isDirectory(directory)) {
        continue;
      }
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
          throw new IllegalStateException(
              what
                  + " "
                  + path
                  + " is out of reach of user "
                  + name
                  + ", who runs Elasticsearch because this JVM runs as root: "
                  + directory
                  + " lacks o+x; set -D"
                  + ElasticsearchDistribution.CACHE_DIR_PROPERTY
                  + "=<a directory under /tmp> or -D"
                  + LocalElasticsearch.JAVA_HOME_PROPERTY
                  + "=<a JDK under /usr/lib/jvm>");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the permissions of " + directory, e);
      }
    }
  }

  private static boolean runningAsRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static String[] passwdEntry(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] fields = line.split(":", -1);
        if (fields.length >= 4 && fields[0].equals(name)) {
          return fields;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /etc/passwd", e);
    }
    throw new IllegalStateException(
        "user "
            + name
            + " (to run Elasticsearch, which refuses root) not in /etc/passwd; set -D"
            + USER_PROPERTY
            + "=<an unprivileged user>");
  }
}
