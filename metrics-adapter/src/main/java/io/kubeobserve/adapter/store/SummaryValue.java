package io.kubeobserve.adapter.store;

import io.prometheus.metrics.model.snapshots.Quantiles;

/** A summary sample: quantiles, count and sum. */
public record SummaryValue(Quantiles quantiles, long count, double sum) {}
