package io.kubeobserve.devstack.cluster.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Writes small CRI container log files the way the kubelet lays them out, for the log tests. */
final class CriLogFiles {

  private CriLogFiles() {}

  /** {@code <root>/<ns>_<pod>_<uid>/<container>/<restart>.log}. */
  static Path path(Path root, String namespace, String pod, String uid, String container, int restart) {
    return root.resolve(namespace + "_" + pod + "_" + uid).resolve(container).resolve(restart + ".log");
  }

  /** Appends raw CRI lines ({@code <time> <stream> <P|F> <message>}), each ended by a newline. */
  static void append(Path file, String... lines) {
    try {
      Files.createDirectories(file.getParent());
      StringBuilder text = new StringBuilder();
      for (String line : lines) {
        text.append(line).append('\n');
      }
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A full stdout line at {@code time}. */
  static String line(Instant time, String message) {
    return time + " stdout F " + message;
  }

  /** Renames the file as the kubelet's rotation does and leaves a new empty one. */
  static void rotate(Path file, Instant at) {
    try {
      Files.move(file, file.resolveSibling(file.getFileName() + "." + at.toString().replace(":", "")));
      Files.createFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
