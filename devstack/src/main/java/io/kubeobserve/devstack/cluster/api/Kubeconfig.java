package io.kubeobserve.devstack.cluster.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * A kubeconfig file for the simulated API server: one cluster (server URL and
 * {@code certificate-authority-data}), one user (bearer token), one context, the current context.
 */
final class Kubeconfig {

  /** The name used for the cluster, the context and (with {@code -admin}) the user. */
  static final String NAME = "kube-observe-sim";

  private Kubeconfig() {}

  static String render(String serverUrl, String caPem, String token) {
    String caData = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: " + NAME + "\n"
        + "  cluster:\n"
        + "    server: " + serverUrl + "\n"
        + "    certificate-authority-data: " + caData + "\n"
        + "users:\n"
        + "- name: " + NAME + "-admin\n"
        + "  user:\n"
        + "    token: " + token + "\n"
        + "contexts:\n"
        + "- name: " + NAME + "\n"
        + "  context:\n"
        + "    cluster: " + NAME + "\n"
        + "    user: " + NAME + "-admin\n"
        + "    namespace: default\n"
        + "current-context: " + NAME + "\n"
        + "preferences: {}\n";
  }

  static Path write(Path file, String content) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, content, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the token file keeps default permissions
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
    }
  }
}
