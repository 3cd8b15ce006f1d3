package io.kubeobserve.adapter.translate;

/** How a metric family is exposed, one of the prometheus-metrics library's snapshot types. */
public enum FamilyType {
  /** Exposed as {@code <name>_total}, TYPE counter. */
  COUNTER,
  GAUGE,
  /** TYPE untyped (text) or unknown (OpenMetrics), the name unchanged. */
  UNKNOWN,
  /** Exposed as {@code <name>_info}, value 1, TYPE gauge (text) or info (OpenMetrics). */
  INFO,
  HISTOGRAM,
  SUMMARY;

  /** Whether values only grow, so that a lower value is a reset or out of order. */
  public boolean cumulative() {
    return this == COUNTER || this == HISTOGRAM || this == SUMMARY;
  }
}
