package io.kubeobserve.adapter.store;

/**
 * Told of every sample the store accepts and of every series it forgets, on the consumer thread
 * while the store's lock is held: implementations must only enqueue. Remote-write is one.
 */
public interface SampleListener {

  /**
   * A new latest sample of {@code series}.
   *
   * @param value the value of counters, gauges, untyped and info series
   * @param complex a {@link HistogramValue} or {@link SummaryValue}, else null
   * @param timestampMillis the sample's source time
   */
  void sample(Series series, double value, Object complex, long timestampMillis);

  /** {@code series} is gone (stale, ended at the source, or its partition revoked) as of {@code timestampMillis}. */
  void gone(Series series, long timestampMillis);
}
