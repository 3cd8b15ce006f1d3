package io.kubeobserve.devstack.cluster.api;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One log entry of a CRI container log file: the timestamp (as written, RFC 3339 with nanoseconds)
 * of its first piece and the message, partial ({@code P}) pieces joined.
 */
record CriLogEntry(String timestamp, Instant time, String message) {

  /** A parsed line: {@code <time> <stream> <P|F> <message>}; {@code null} when malformed. */
  record Line(String timestamp, Instant time, boolean partial, String message) {

    static Line parse(String line) {
      int first = line.indexOf(' ');
      int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
      if (second < 0) {
        return null;
      }
      int third = line.indexOf(' ', second + 1);
      String tag = third < 0 ? line.substring(second + 1) : line.substring(second + 1, third);
      String message = third < 0 ? "" : line.substring(third + 1);
      String timestamp = line.substring(0, first);
      try {
        Instant time = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(timestamp, Instant::from);
        return new Line(timestamp, time, tag.startsWith("P"), message);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }
}
