package io.kubeobserve.devstack.cluster.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The CRI container log format as containerd writes it: {@code <RFC3339Nano time> <stream> <tag>
 * <content>\n}, tag {@code F} for a full line and {@code P} for a partial piece. containerd splits an
 * entry longer than its buffer (16 KiB, kubelet's {@code containerLogMaxSize}-independent limit) into
 * {@code P} pieces of that size and a final {@code F} piece; joining the contents in order gives the
 * entry back.
 */
public final class CriFormat {

  /** containerd's split size: 16 KiB of content per CRI line. */
  public static final int DEFAULT_MAX_CONTENT_BYTES = 16 * 1024;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * A parsed CRI line.
   *
   * @param partial whether the tag was {@code P}
   */
  public record CriLine(String time, String stream, boolean partial, String content) {}

  private CriFormat() {}

  /** The CRI time stamp of {@code instant} (nanoseconds, always 9 digits, UTC). */
  public static String time(Instant instant) {
    return TIME.format(instant);
  }

  /**
   * The CRI lines (each ending in {@code \n}) of one entry: its content split into pieces of at most
   * {@code maxContentBytes} UTF-8 bytes (never inside a character), all but the last tagged {@code P}.
   */
  public static List<String> encode(Instant time, LogStream stream, String content, int maxContentBytes) {
    String prefix = time(time) + " " + stream.criName() + " ";
    List<String> lines = new ArrayList<>();
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    while (bytes.length - start > maxContentBytes) {
      int end = start + maxContentBytes;
      while (end > start && (bytes[end] & 0xC0) == 0x80) {
        end--;
      }
      lines.add(prefix + "P " + new String(bytes, start, end - start, StandardCharsets.UTF_8) + "\n");
      start = end;
    }
    lines.add(prefix + "F " + new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8) + "\n");
    return lines;
  }

  /** Parses one CRI line (without its {@code \n}). */
  public static CriLine parse(String line) {
    int first = line.indexOf(' ');
    int second = line.indexOf(' ', first + 1);
    int third = line.indexOf(' ', second + 1);
    if (first < 0 || second < 0 || third < 0) {
      throw new IllegalArgumentException("not a CRI log line: " + line);
    }
    String tag = line.substring(second + 1, third);
    return new CriLine(line.substring(0, first), line.substring(first + 1, second), tag.equals("P"),
        line.substring(third + 1));
  }
}
