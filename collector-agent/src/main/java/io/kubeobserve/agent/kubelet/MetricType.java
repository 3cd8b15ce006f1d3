package io.kubeobserve.agent.kubelet;

import java.util.Locale;
import java.util.Optional;

/** The metric types of the Prometheus text format ({@code # TYPE name <type>}). */
public enum MetricType {
  COUNTER,
  GAUGE,
  HISTOGRAM,
  SUMMARY,
  /** No {@code # TYPE} line, or {@code untyped}. */
  UNTYPED;

  /** The type named in a {@code # TYPE} line, if it is one of the format's five. */
  static Optional<MetricType> parse(String text) {
    for (MetricType type : values()) {
      if (type.name().toLowerCase(Locale.ROOT).equals(text)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** The type's name as the text format writes it. */
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }
}
