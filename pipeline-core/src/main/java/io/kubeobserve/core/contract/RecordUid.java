package io.kubeobserve.core.contract;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic {@code log.record.uid} values: the same occurrence always gets the same id, so
 * consumers (and Elasticsearch, where it becomes {@code _id}) deduplicate replays.
 *
 * <p>An id is the first 128 bits of SHA-256 over the parts, each prefixed by its length so that
 * no two different part lists collide by concatenation, as 32 lower-case hex digits.
 * {@link LogLines} gives the same ids as {@link #logLine} for one file's lines without allocating.
 */
public final class RecordUid {

  /** Bytes of the hash an id keeps. */
  private static final int ID_BYTES = 16;
  /** Characters of an id: its bytes in hex. */
  public static final int HEX_LENGTH = 2 * ID_BYTES;
  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /** One digest per thread: getting a new one per id costs more than hashing a log line's parts. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(RecordUid::sha256);

  private RecordUid() {}

  /** A log line: the identity of its file (device, inode, fingerprint) and its byte offset. */
  public static String logLine(String fileIdentity, long byteOffset) {
    return of("log", fileIdentity, Long.toString(byteOffset));
  }

  /**
   * The ids of one file's log lines, {@link #logLine} for each offset, written as ASCII hex digits
   * into a caller's array: the parts before the offset are encoded once, and nothing is allocated
   * per line. Not thread-safe: one per file reader.
   */
  public static final class LogLines {

    private final MessageDigest digest = sha256();
    /** {@code 3:log<n>:<file identity>}, the length-prefixed parts before the offset. */
    private final byte[] prefix;
    /** {@code <n>:<offset digits>}: at most 2 + 1 + 19 bytes. */
    private final byte[] offsetPart = new byte[24];
    private final byte[] hash = new byte[32];

    public LogLines(String fileIdentity) {
      byte[] log = lengthPrefixed("log");
      byte[] identity = lengthPrefixed(fileIdentity);
      prefix = new byte[log.length + identity.length];
      System.arraycopy(log, 0, prefix, 0, log.length);
      System.arraycopy(identity, 0, prefix, log.length, identity.length);
    }

    /**
     * Writes the {@value RecordUid#HEX_LENGTH} hex digits of {@code logLine(fileIdentity, byteOffset)}
     * at {@code target[at]}.
     */
    public void write(long byteOffset, byte[] target, int at) {
      if (byteOffset < 0) {
        throw new IllegalArgumentException("a byte offset is not negative: " + byteOffset);
      }
      int digits = 1;
      for (long rest = byteOffset / 10; rest > 0; rest /= 10) {
        digits++;
      }
      int length = 0;
      if (digits >= 10) {
        offsetPart[length++] = (byte) ('0' + digits / 10);
      }
      offsetPart[length++] = (byte) ('0' + digits % 10);
      offsetPart[length++] = ':';
      long rest = byteOffset;
      for (int i = length + digits - 1; i >= length; i--) {
        offsetPart[i] = (byte) ('0' + rest % 10);
        rest /= 10;
      }
      length += digits;
      digest.update(prefix);
      digest.update(offsetPart, 0, length);
      try {
        digest.digest(hash, 0, hash.length);
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 writes 32 bytes", e);
      }
      for (int i = 0; i < ID_BYTES; i++) {
        target[at + 2 * i] = HEX_DIGITS[(hash[i] >> 4) & 0xf];
        target[at + 2 * i + 1] = HEX_DIGITS[hash[i] & 0xf];
      }
    }

    /** {@code <byte length>:<UTF-8 bytes>}, as {@link #of} hashes a part. */
    private static byte[] lengthPrefixed(String part) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      byte[] length = (bytes.length + ":").getBytes(StandardCharsets.US_ASCII);
      byte[] all = new byte[length.length + bytes.length];
      System.arraycopy(length, 0, all, 0, length.length);
      System.arraycopy(bytes, 0, all, length.length, bytes.length);
      return all;
    }
  }

  /** A Kubernetes Event: its UID and count, so each repetition is one record. */
  public static String kubernetesEvent(String eventUid, long count) {
    return of(EventNames.K8S_EVENT, eventUid, Long.toString(count));
  }

  /** A derived signal: its {@code event.name} and the parts that identify the occurrence. */
  public static String occurrence(String eventName, String... parts) {
    String[] all = new String[parts.length + 1];
    all[0] = eventName;
    System.arraycopy(parts, 0, all, 1, parts.length);
    return of(all);
  }

  private static String of(String... parts) {
    MessageDigest digest = SHA_256.get();
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
      digest.update((byte) ':');
      digest.update(bytes);
    }
    byte[] hash = digest.digest();
    return HexFormat.of().formatHex(hash, 0, ID_BYTES);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
