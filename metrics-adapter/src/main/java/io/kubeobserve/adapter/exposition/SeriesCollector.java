package io.kubeobserve.adapter.exposition;

import io.kubeobserve.adapter.store.SeriesStore;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** The relayed series as a prometheus-metrics {@link MultiCollector}: each scrape snapshots the store. */
public final class SeriesCollector implements MultiCollector {

  private final SeriesStore store;
  private final boolean timestamps;

  /**
   * @param timestamps give each sample its source timestamp ({@code exposition.timestamps})
   */
  public SeriesCollector(SeriesStore store, boolean timestamps) {
    this.store = store;
    this.timestamps = timestamps;
  }

  @Override
  public MetricSnapshots collect() {
    return store.snapshot(timestamps);
  }
}
