package io.kubeobserve.alerts.detect;

import java.util.Locale;

/** Byte counts written for people in binary units, as Kubernetes quantities are: {@code 512 MiB}, {@code 1.5 GiB}. */
public final class ByteSizes {

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private ByteSizes() {}

  /** {@code bytes} in the largest unit it holds one of, with at most one decimal ({@code 195.5 MiB}). */
  public static String binary(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    int unit = (63 - Long.numberOfLeadingZeros(bytes)) / 10;
    double value = bytes / Math.pow(1024, unit);
    String text = String.format(Locale.ROOT, "%.1f", value);
    return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + " " + UNITS[unit];
  }
}
