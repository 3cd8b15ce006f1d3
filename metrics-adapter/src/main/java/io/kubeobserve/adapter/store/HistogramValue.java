package io.kubeobserve.adapter.store;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;

/**
 * A histogram sample: per-bucket (not cumulative) counts with their upper bounds ending in
 * {@code +Inf}, the total count and the sum ({@code NaN} when absent).
 */
public record HistogramValue(ClassicHistogramBuckets buckets, long count, double sum) {}
