package io.kubeobserve.devstack.cluster.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log file of one container instance, {@code <dir>/<restartCount>.log}, with rotation. Not
 * thread-safe: {@link ContainerLogs} serializes access per container.
 *
 * <p>Rotated files are named {@code <restartCount>.log.<yyyyMMdd-HHmmss>} from the (scenario) clock,
 * as the kubelet names them. Two rotations within one second would collide (the kubelet's rename
 * would silently replace the older file); here the later one takes the next free second instead.
 */
final class ContainerLogFile implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ContainerLogFile.class);
  static final DateTimeFormatter ROTATED_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path directory;
  private final int restartCount;
  private final Path current;
  private final RotationPolicy rotation;
  private FileChannel channel;
  private long size;
  private Instant lastRotation = Instant.EPOCH;

  ContainerLogFile(Path directory, int restartCount, RotationPolicy rotation) {
    this.directory = directory;
    this.restartCount = restartCount;
    this.current = directory.resolve(restartCount + ".log");
    this.rotation = rotation;
    try {
      Files.createDirectories(directory);
      open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + current, e);
    }
  }

  Path path() {
    return current;
  }

  int restartCount() {
    return restartCount;
  }

  /** Appends CRI lines (each ending in {@code \n}), then rotates if the file grew past the limit. */
  void append(List<String> criLines, Instant now) {
    try {
      StringBuilder text = new StringBuilder();
      criLines.forEach(text::append);
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        size += channel.write(bytes);
      }
      if (rotation.maxBytes() > 0 && size > rotation.maxBytes()) {
        rotate(now);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + current, e);
    }
  }

  /** The rotated files of this instance, oldest first. */
  List<Path> rotatedFiles() {
    String prefix = current.getFileName() + ".";
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void rotate(Instant now) throws IOException {
    Instant stamp = now.isAfter(lastRotation.plusSeconds(1)) ? now : lastRotation.plusSeconds(1);
    Path rotated = directory.resolve(current.getFileName() + "." + ROTATED_SUFFIX.format(stamp));
    while (Files.exists(rotated)) {
      stamp = stamp.plusSeconds(1);
      rotated = directory.resolve(current.getFileName() + "." + ROTATED_SUFFIX.format(stamp));
    }
    lastRotation = stamp;
    if (rotation.mode() == RotationPolicy.Mode.RENAME) {
      channel.close();
      Files.move(current, rotated, StandardCopyOption.ATOMIC_MOVE);
      open();
    } else {
      channel.force(false);
      Files.copy(current, rotated, StandardCopyOption.COPY_ATTRIBUTES);
      channel.truncate(0);
      size = 0;
    }
    log.debug("rotated {} to {}", current, rotated.getFileName());
    prune();
  }

  private void prune() throws IOException {
    List<Path> rotated = new ArrayList<>(rotatedFiles());
    while (rotated.size() > rotation.maxRotatedFiles()) {
      Files.deleteIfExists(rotated.remove(0));
    }
  }

  private void open() throws IOException {
    channel = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("cannot close {}", current, e);
    }
  }
}
