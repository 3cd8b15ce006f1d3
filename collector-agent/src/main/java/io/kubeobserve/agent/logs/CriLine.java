package io.kubeobserve.agent.logs;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * One line of a CRI container log file: {@code <RFC3339Nano> <stdout|stderr> <P|F>[:tags] <message>}.
 *
 * @param partial {@code P}: the runtime split a long entry, the next line continues it
 */
public record CriLine(Instant time, String stream, boolean partial, String message) {

  /** Parses one line without its terminating newline, or empty when it is not a CRI line. */
  public static Optional<CriLine> parse(String line) {
    int timeEnd = line.indexOf(' ');
    if (timeEnd <= 0) {
      return Optional.empty();
    }
    int streamEnd = line.indexOf(' ', timeEnd + 1);
    if (streamEnd < 0) {
      return Optional.empty();
    }
    String stream = line.substring(timeEnd + 1, streamEnd);
    if (!stream.equals("stdout") && !stream.equals("stderr")) {
      return Optional.empty();
    }
    int tagEnd = line.indexOf(' ', streamEnd + 1);
    String tags = tagEnd < 0 ? line.substring(streamEnd + 1) : line.substring(streamEnd + 1, tagEnd);
    String logtag = tags.split(":", 2)[0];
    if (!logtag.equals("P") && !logtag.equals("F")) {
      return Optional.empty();
    }
    Optional<Instant> time = parseTime(line.substring(0, timeEnd));
    if (time.isEmpty()) {
      return Optional.empty();
    }
    String message = tagEnd < 0 ? "" : line.substring(tagEnd + 1);
    return Optional.of(new CriLine(time.get(), stream, logtag.equals("P"), message));
  }

  private static Optional<Instant> parseTime(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }
}
