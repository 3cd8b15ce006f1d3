package io.kubeobserve.core.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic {@code log.record.uid} values: the same occurrence always gets the same id, so
 * consumers (and Elasticsearch, where it becomes {@code _id}) deduplicate replays.
 *
 * <p>An id is the first 128 bits of SHA-256 over the parts, each prefixed by its length so that
 * no two different part lists collide by concatenation, as 32 lower-case hex digits.
 */
public final class RecordUid {

  /** One digest per thread: getting a new one per id costs more than hashing a log line's parts. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  });

  private RecordUid() {}

  /** A log line: the identity of its file (device, inode, fingerprint) and its byte offset. */
  public static String logLine(String fileIdentity, long byteOffset) {
    return of("log", fileIdentity, Long.toString(byteOffset));
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
    return HexFormat.of().formatHex(hash, 0, 16);
  }
}
