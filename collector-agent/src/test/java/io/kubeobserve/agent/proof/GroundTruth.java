package io.kubeobserve.agent.proof;

import io.kubeobserve.devstack.cluster.logs.LogLineMarker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the containers wrote, read back from the CRI files on disk (current and rotated) after the
 * writers stopped: per container ({@code namespace/pod/container} of the {@link LogLineMarker}),
 * for every sequence number the hash of the entry's content (its {@code P} pieces joined) and the
 * number of file bytes it took. Kept as hashes so a million entries fit in a test JVM.
 */
final class GroundTruth {

  /** The entries of one container, indexed by sequence number. */
  static final class Entries {
    private long[] hashes = new long[1024];
    private int[] fileBytes = new int[1024];
    private long last;

    void put(long sequence, long hash, int bytes) {
      int index = Math.toIntExact(sequence);
      if (index >= hashes.length) {
        int size = Math.max(index + 1, hashes.length * 2);
        hashes = Arrays.copyOf(hashes, size);
        fileBytes = Arrays.copyOf(fileBytes, size);
      }
      hashes[index] = hash;
      fileBytes[index] = bytes;
      last = Math.max(last, sequence);
    }

    /** The highest sequence number written; every number from 1 to it was written. */
    long last() {
      return last;
    }

    long hash(long sequence) {
      return hashes[(int) sequence];
    }

    /** The bytes the entry took in its file, CRI framing and newlines included. */
    int fileBytes(long sequence) {
      return sequence <= last ? fileBytes[(int) sequence] : 0;
    }
  }

  private final Map<String, Entries> containers;
  private final long lines;
  private final long bytes;

  private GroundTruth(Map<String, Entries> containers, long lines, long bytes) {
    this.containers = containers;
    this.lines = lines;
    this.bytes = bytes;
  }

  /** Reads every {@code *.log} and rotated {@code *.log.*} file of the pod log tree under {@code root}. */
  static GroundTruth read(Path root) throws IOException {
    Map<String, Entries> containers = new TreeMap<>();
    long[] totals = new long[2];
    try (Stream<Path> files = Files.find(root, 3, (path, attributes) -> attributes.isRegularFile()
        && path.getFileName().toString().matches("\\d+\\.log(\\..+)?"))) {
      for (Path file : files.sorted().toList()) {
        readFile(file, containers, totals);
      }
    }
    return new GroundTruth(containers, totals[0], totals[1]);
  }

  private static void readFile(Path file, Map<String, Entries> containers, long[] totals) throws IOException {
    byte[] data = Files.readAllBytes(file);
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    int pendingBytes = 0;
    int start = 0;
    while (start < data.length) {
      int newline = indexOf(data, (byte) '\n', start);
      int end = newline < 0 ? data.length : newline;
      totals[0]++;
      totals[1] += end + 1 - start;
      int first = indexOf(data, (byte) ' ', start);
      int second = first < 0 ? -1 : indexOf(data, (byte) ' ', first + 1);
      int third = second < 0 ? -1 : indexOf(data, (byte) ' ', second + 1);
      if (third < 0 || third >= end) {
        throw new IllegalStateException("not a CRI line in " + file + ": "
            + new String(data, start, end - start, StandardCharsets.UTF_8));
      }
      pending.write(data, third + 1, end - third - 1);
      pendingBytes += end + 1 - start;
      start = end + 1;
      if (data[second + 1] == 'P') {
        continue;
      }
      byte[] content = pending.toByteArray();
      Optional<LogLineMarker.Marker> marker = LogLineMarker.find(new String(content, StandardCharsets.UTF_8));
      if (marker.isEmpty()) {
        throw new IllegalStateException("an entry without a marker in " + file);
      }
      containers.computeIfAbsent(marker.get().container(), key -> new Entries())
          .put(marker.get().sequence(), hash(content, 0, content.length), pendingBytes);
      pending.reset();
      pendingBytes = 0;
    }
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int i = Math.max(0, from); i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** FNV-1a, 64 bits: the content fingerprint both sides compare. */
  static long hash(byte[] data, int from, int to) {
    long hash = 0xcbf29ce484222325L;
    for (int i = from; i < to; i++) {
      hash ^= data[i] & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /** Containers by {@code namespace/pod/container}. */
  Map<String, Entries> containers() {
    return containers;
  }

  /** Entries written (sequence numbers), over all containers. */
  long entries() {
    return containers.values().stream().mapToLong(Entries::last).sum();
  }

  /** Physical CRI lines in the files ({@code P} pieces counted one by one). */
  long lines() {
    return lines;
  }

  /** Bytes in the files. */
  long bytes() {
    return bytes;
  }
}
