package io.kubeobserve.devstack.cluster;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Kubernetes resource quantities ({@code 256Mi}, {@code 500m}, {@code 1G}) as the API writes them,
 * read into plain numbers and written back in the kubelet's forms.
 */
public final class Quantities {

  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("k", BigDecimal.valueOf(1_000L)), Map.entry("M", BigDecimal.valueOf(1_000_000L)),
      Map.entry("G", BigDecimal.valueOf(1_000_000_000L)), Map.entry("T", BigDecimal.valueOf(1_000_000_000_000L)),
      Map.entry("m", new BigDecimal("0.001")), Map.entry("", BigDecimal.ONE));

  private Quantities() {}

  /** The value of {@code quantity} ({@code 256Mi} is 268435456, {@code 500m} is 0.5); empty is 0. */
  public static BigDecimal parse(String quantity) {
    String text = quantity == null ? "" : quantity.trim();
    if (text.isEmpty()) {
      return BigDecimal.ZERO;
    }
    int split = text.length();
    while (split > 0 && Character.isLetter(text.charAt(split - 1))) {
      split--;
    }
    BigDecimal multiplier = SUFFIXES.get(text.substring(split));
    if (multiplier == null) {
      throw new IllegalArgumentException("not a quantity: " + quantity);
    }
    return new BigDecimal(text.substring(0, split)).multiply(multiplier);
  }

  /** Bytes of a memory or storage quantity. */
  public static long bytes(String quantity) {
    return parse(quantity).longValue();
  }

  /** Millicores of a CPU quantity ({@code 2} is 2000, {@code 250m} is 250). */
  public static long millis(String quantity) {
    return parse(quantity).movePointRight(3).longValue();
  }

  /**
   * A byte count as a BinarySI quantity prints it (apimachinery {@code Quantity.String()}): with the
   * largest of Ki, Mi, Gi, Ti that divides it exactly, else plain digits ({@code 184287232} is
   * {@code 179968Ki}, {@code 786432000} is {@code 750Mi}).
   */
  public static String binarySI(long bytes) {
    String[] suffixes = {"Ti", "Gi", "Mi", "Ki"};
    for (int i = 0; i < suffixes.length; i++) {
      long unit = 1L << (10 * (suffixes.length - i));
      if (bytes != 0 && bytes % unit == 0) {
        return bytes / unit + suffixes[i];
      }
    }
    return Long.toString(bytes);
  }

  /** A count as a DecimalSI quantity prints it: with the largest of k, M, G that divides it exactly ({@code 4000} is {@code 4k}). */
  public static String decimalSI(long value) {
    String[] suffixes = {"G", "M", "k"};
    long[] units = {1_000_000_000L, 1_000_000L, 1_000L};
    for (int i = 0; i < units.length; i++) {
      if (value != 0 && value % units[i] == 0) {
        return value / units[i] + suffixes[i];
      }
    }
    return Long.toString(value);
  }

  /** Bytes in the kubelet's {@code Ki} form ({@code 184287232} is {@code 179968Ki}), rounded up. */
  public static String kibibytes(long bytes) {
    return ((bytes + 1023) / 1024) + "Ki";
  }
}
