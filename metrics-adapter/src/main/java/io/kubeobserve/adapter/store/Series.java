package io.kubeobserve.adapter.store;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * One series: its identity and its latest sample. Fields are guarded by the store's lock; only the
 * consumer thread writes them.
 */
public final class Series {

  final Family family;
  final Labels labels;
  /** The Kubernetes namespace the series counts against, {@code ""} for none. */
  final String namespace;
  /** The Kafka partition whose records feed it. */
  final int partition;
  /** The hashes that find it: its first, and the aliases of other encodings of the same labels. */
  final List<Key128> keys = new ArrayList<>(1);

  boolean hasValue;
  double value;
  /** A {@link HistogramValue} or {@link SummaryValue}. */
  Object complex;
  long timestampMillis;
  long startNanos;
  long lastSeenMillis;
  boolean removed;

  Series(Family family, Labels labels, String namespace, int partition, long createdMillis) {
    this.family = family;
    this.labels = labels;
    this.namespace = namespace;
    this.partition = partition;
    this.lastSeenMillis = createdMillis;
  }

  /** The family's name as Prometheus stores it ({@code x_total}, ...; a histogram's base name). */
  public String exposedName() {
    return family.exposedName;
  }

  /** How the family is exposed. */
  public io.kubeobserve.adapter.translate.FamilyType type() {
    return family.type;
  }

  public Labels labels() {
    return labels;
  }

  @Override
  public String toString() {
    return family.exposedName + labels;
  }
}
