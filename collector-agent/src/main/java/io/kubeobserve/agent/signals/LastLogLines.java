package io.kubeobserve.agent.signals;

import io.kubeobserve.agent.logs.ContainerLogText;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last lines a container instance wrote, read from the end of its CRI log file
 * {@code <logs.root>/<namespace>_<pod>_<uid>/<container>/<n>.log} when its termination is reported.
 * Reading the file (rather than remembering what the tailer shipped) also works for a termination
 * that happened while the agent was down, and needs no memory per container. CRI framing (time,
 * stream, tag; or docker json-file's) is removed; partial lines are joined; each line is cut to a
 * maximum length.
 */
public final class LastLogLines {

  private static final int TAIL_BYTES = 64 * 1024;

  private final Path root;
  private final int lines;
  private final int maxChars;

  public LastLogLines(Path root, int lines, int maxChars) {
    this.root = root;
    this.lines = lines;
    this.maxChars = maxChars;
  }

  /** The last lines of the container's {@code instance}'s log, or of its newest log up to that instance. */
  public List<String> of(String namespace, String pod, String podUid, String container, int instance) {
    if (lines == 0) {
      return List.of();
    }
    Path directory = root.resolve(namespace + "_" + pod + "_" + podUid).resolve(container);
    Optional<Path> file = logOf(directory, instance);
    if (file.isEmpty()) {
      return List.of();
    }
    try {
      return tail(file.get());
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Optional<Path> logOf(Path directory, int instance) {
    Path exact = directory.resolve(instance + ".log");
    if (Files.isRegularFile(exact)) {
      return Optional.of(exact);
    }
    Path best = null;
    int bestIndex = -1;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.log")) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        try {
          int index = Integer.parseInt(name.substring(0, name.length() - 4));
          if (index <= instance && index > bestIndex) {
            best = file;
            bestIndex = index;
          }
        } catch (NumberFormatException e) {
          // not <n>.log
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(best);
  }

  private List<String> tail(Path file) throws IOException {
    byte[] bytes;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      long start = Math.max(0, length - TAIL_BYTES);
      bytes = new byte[(int) (length - start)];
      in.seek(start);
      in.readFully(bytes);
      if (start > 0) {
        int newline = indexOf(bytes, (byte) '\n');
        bytes = newline < 0 ? new byte[0] : java.util.Arrays.copyOfRange(bytes, newline + 1, bytes.length);
      }
    }
    Deque<String> last = new ArrayDeque<>();
    for (String message : ContainerLogText.entries(bytes, TAIL_BYTES)) {
      last.addLast(message.length() > maxChars ? message.substring(0, maxChars) + "…" : message);
      if (last.size() > lines) {
        last.removeFirst();
      }
    }
    return new ArrayList<>(last);
  }

  private static int indexOf(byte[] bytes, byte value) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
