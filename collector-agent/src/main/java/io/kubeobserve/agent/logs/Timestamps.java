package io.kubeobserve.agent.logs;

/**
 * RFC 3339 timestamps as container runtimes write them ({@code 2024-05-01T10:00:00.123456789Z},
 * or with an offset such as {@code +05:30}), parsed by hand from bytes into nanoseconds since the
 * epoch: no {@code String}, no {@code Instant.parse} per line.
 */
final class Timestamps {

  /** Returned for text that is not an RFC 3339 timestamp with a zone. */
  static final long INVALID = Long.MIN_VALUE;

  private Timestamps() {}

  /** Nanoseconds since the epoch of {@code bytes[start, end)}, or {@link #INVALID}. */
  static long parse(byte[] bytes, int start, int end) {
    if (end - start < 20 || bytes[start + 4] != '-' || bytes[start + 7] != '-'
        || (bytes[start + 10] != 'T' && bytes[start + 10] != 't') || bytes[start + 13] != ':'
        || bytes[start + 16] != ':') {
      return INVALID;
    }
    int year = digits(bytes, start, 4);
    int month = digits(bytes, start + 5, 2);
    int day = digits(bytes, start + 8, 2);
    int hour = digits(bytes, start + 11, 2);
    int minute = digits(bytes, start + 14, 2);
    int second = digits(bytes, start + 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 60) {
      return INVALID;
    }
    int i = start + 19;
    long nanos = 0;
    if (bytes[i] == '.') {
      i++;
      int fractionStart = i;
      long scale = 100_000_000L;
      while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
        nanos += (bytes[i] - '0') * scale;
        scale /= 10;
        i++;
      }
      if (i == fractionStart) {
        return INVALID;
      }
    }
    if (i >= end) {
      return INVALID;
    }
    long offsetSeconds;
    if ((bytes[i] == 'Z' || bytes[i] == 'z') && i + 1 == end) {
      offsetSeconds = 0;
    } else if ((bytes[i] == '+' || bytes[i] == '-') && i + 6 == end && bytes[i + 3] == ':') {
      int offsetHours = digits(bytes, i + 1, 2);
      int offsetMinutes = digits(bytes, i + 4, 2);
      if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) {
        return INVALID;
      }
      offsetSeconds = (offsetHours * 3600L + offsetMinutes * 60L) * (bytes[i] == '-' ? -1 : 1);
    } else {
      return INVALID;
    }
    long seconds = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return seconds * 1_000_000_000L + nanos;
  }

  private static int digits(byte[] bytes, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
  private static long epochDay(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = Math.floorDiv(y, 400);
    int yearOfEra = y - era * 400;
    int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097L + dayOfEra - 719_468L;
  }
}
