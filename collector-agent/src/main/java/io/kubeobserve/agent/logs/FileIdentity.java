package io.kubeobserve.agent.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Which file a log file is, whatever its name: device and inode (a rename keeps them) plus a
 * fingerprint of its first bytes, so that a new file given a reused inode is not taken for the old
 * one. The fingerprint is the CRC-32C of the first {@value #FINGERPRINT_BYTES} bytes, or of the
 * first line when it is shorter (newline included): bytes that do not change as the file grows, so
 * a file has the same identity whenever it is looked at. A file is identified once it has {@value
 * #FINGERPRINT_BYTES} bytes or a whole first line; its {@link #id()} goes into every record's
 * {@code log.record.uid} and into the checkpoint.
 */
record FileIdentity(long device, long inode, int fingerprintLength, long fingerprint) {

  static final int FINGERPRINT_BYTES = 64;

  /** Device and inode of {@code file} (following a symbolic link). */
  static long[] deviceAndInode(Path file) throws IOException {
    Map<String, Object> unix = Files.readAttributes(file, "unix:dev,ino");
    return new long[] {((Number) unix.get("dev")).longValue(), ((Number) unix.get("ino")).longValue()};
  }

  /** The identity of the open file, or null while it has neither a whole first line nor {@value #FINGERPRINT_BYTES} bytes. */
  static FileIdentity of(long device, long inode, FileChannel channel) throws IOException {
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(FINGERPRINT_BYTES, channel.size()));
    while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
      // the first bytes, or fewer when the file shrank meanwhile
    }
    int length = head.position() == FINGERPRINT_BYTES ? FINGERPRINT_BYTES : 0;
    for (int i = 0; i < head.position(); i++) {
      if (head.get(i) == '\n') {
        length = i + 1;
        break;
      }
    }
    if (length == 0) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(head.array(), 0, length);
    return new FileIdentity(device, inode, length, crc.getValue());
  }

  /**
   * For a one-time read (the dry run), where the file will not grow before it is read: the identity
   * of a file too short to be identified by {@link #of}, over all its bytes; null when it is empty.
   */
  static FileIdentity ofWhole(long device, long inode, FileChannel channel) throws IOException {
    int length = (int) Math.min(FINGERPRINT_BYTES, channel.size());
    Long fingerprint = length == 0 ? null : fingerprint(channel, length);
    return fingerprint == null ? null : new FileIdentity(device, inode, length, fingerprint);
  }

  /** Whether the open file (same device and inode) still starts with the bytes this identity was taken from. */
  boolean sameContent(FileChannel channel) throws IOException {
    Long now = fingerprint(channel, fingerprintLength);
    return now != null && now == fingerprint;
  }

  private static Long fingerprint(FileChannel channel, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, buffer.position()) < 0) {
        return null;
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), 0, length);
    return crc.getValue();
  }

  /** The text form, stable across restarts: {@code <dev>:<ino>:<length>:<crc hex>}. */
  String id() {
    return device + ":" + inode + ":" + fingerprintLength + ":" + Long.toHexString(fingerprint);
  }
}
