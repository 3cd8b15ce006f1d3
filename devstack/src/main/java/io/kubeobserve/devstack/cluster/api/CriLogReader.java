package io.kubeobserve.devstack.cluster.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CRI log file as entries, from where it left off, and follows the kubelet's rename
 * rotation: when the path names a new file (the old one renamed to {@code 0.log.<timestamp>}),
 * the rest of the old file is read, then the new one from its start.
 */
final class CriLogReader implements AutoCloseable {

  private final Path path;
  private FileChannel channel;
  private Object fileKey;
  private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
  private CriLogEntry.Line pendingFirst;
  private final StringBuilder pendingMessage = new StringBuilder();

  CriLogReader(Path path) {
    this.path = path;
  }

  /** The complete entries appended since the last call (none when the file does not exist yet). */
  List<CriLogEntry> read() throws IOException {
    List<CriLogEntry> entries = new ArrayList<>();
    if (channel == null && !open()) {
      return entries;
    }
    drain(entries);
    Object current = currentKey();
    if (current != null && !current.equals(fileKey)) {
      channel.close();
      channel = null;
      pendingBytes.reset();
      if (open()) {
        drain(entries);
      }
    }
    return entries;
  }

  private boolean open() throws IOException {
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
      fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private Object currentKey() throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void drain(List<CriLogEntry> entries) throws IOException {
    if (channel.size() < channel.position()) {
      channel.position(0);
      pendingBytes.reset();
    }
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    while (channel.read(buffer) > 0) {
      buffer.flip();
      while (buffer.hasRemaining()) {
        byte b = buffer.get();
        if (b == '\n') {
          line(pendingBytes.toString(StandardCharsets.UTF_8), entries);
          pendingBytes.reset();
        } else {
          pendingBytes.write(b);
        }
      }
      buffer.clear();
    }
  }

  private void line(String text, List<CriLogEntry> entries) {
    CriLogEntry.Line line = CriLogEntry.Line.parse(text);
    if (line == null) {
      return;
    }
    if (pendingFirst == null) {
      pendingFirst = line;
    }
    pendingMessage.append(line.message());
    if (!line.partial()) {
      entries.add(new CriLogEntry(pendingFirst.timestamp(), pendingFirst.time(),
          pendingMessage.toString()));
      pendingFirst = null;
      pendingMessage.setLength(0);
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
