package io.kubeobserve.adapter.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The store's meters. The consumer thread counts per record and adds the totals here once per
 * record, so the per-sample path touches no meter.
 */
final class StoreMeters {

  final Counter samplesIn;
  final Map<RejectReason, Counter> samplesRejected = new EnumMap<>(RejectReason.class);
  final Counter seriesCreated;
  final Counter droppedByMetricLimit;
  final Counter droppedByNamespaceLimit;
  final Counter droppedByTotalLimit;
  final Counter removedStale;
  final Counter removedEnded;
  final Counter removedRevoked;
  final Counter counterResets;

  StoreMeters(MeterRegistry registry, SeriesStore store) {
    samplesIn = Counter.builder("kube_observe.adapter.samples.in")
        .description("samples decoded from k8s-metrics (a histogram counts its buckets, count and sum)")
        .register(registry);
    for (RejectReason reason : RejectReason.values()) {
      samplesRejected.put(reason, Counter.builder("kube_observe.adapter.samples.rejected").tag("reason", reason.tag())
          .description("samples not stored, by reason").register(registry));
    }
    seriesCreated = Counter.builder("kube_observe.adapter.series.created").description("series added to the store")
        .register(registry);
    droppedByMetricLimit = dropped(registry, "metric_limit");
    droppedByNamespaceLimit = dropped(registry, "namespace_limit");
    droppedByTotalLimit = dropped(registry, "total_limit");
    removedStale = removed(registry, "stale");
    removedEnded = removed(registry, "ended");
    removedRevoked = removed(registry, "revoked");
    counterResets = Counter.builder("kube_observe.adapter.counter.resets")
        .description("counter, histogram and summary resets seen (a lower value or a new start time)")
        .register(registry);
    Gauge.builder("kube_observe.adapter.series.live", store, SeriesStore::size)
        .description("series held, exposed and remote-written").register(registry);
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("kube_observe.adapter.series.dropped").tag("reason", reason)
        .description("new series refused by the cardinality guard (limits.*)").register(registry);
  }

  private static Counter removed(MeterRegistry registry, String reason) {
    return Counter.builder("kube_observe.adapter.series.removed").tag("reason", reason)
        .description("series forgotten: stale (staleness.timeout), ended at the source, or partition revoked")
        .register(registry);
  }
}
