package io.kubeobserve.router.index;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Formats Unix nanoseconds as RFC 3339 with nine fraction digits ({@code 2024-11-20T09:25:00.123456789Z}),
 * the form {@code date_nanos} fields take. The date part is cached per second: log lines come in
 * time order, so most calls only format the fraction.
 */
final class Timestamps {

  private long cachedSecond = Long.MIN_VALUE;
  private final char[] buffer = new char[30];

  /** The characters of the timestamp, valid until the next call. */
  char[] format(long unixNanos) {
    long second = Math.floorDiv(unixNanos, 1_000_000_000L);
    int nanos = (int) Math.floorMod(unixNanos, 1_000_000_000L);
    if (second != cachedSecond) {
      LocalDateTime time = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
      digits(time.getYear(), 0, 4);
      buffer[4] = '-';
      digits(time.getMonthValue(), 5, 2);
      buffer[7] = '-';
      digits(time.getDayOfMonth(), 8, 2);
      buffer[10] = 'T';
      digits(time.getHour(), 11, 2);
      buffer[13] = ':';
      digits(time.getMinute(), 14, 2);
      buffer[16] = ':';
      digits(time.getSecond(), 17, 2);
      buffer[19] = '.';
      buffer[29] = 'Z';
      cachedSecond = second;
    }
    digits(nanos, 20, 9);
    return buffer;
  }

  static int length() {
    return 30;
  }

  private void digits(int value, int offset, int count) {
    for (int i = offset + count - 1; i >= offset; i--) {
      buffer[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
