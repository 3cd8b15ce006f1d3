/**
 * The series store: OTLP records decoded from their protobuf bytes into the latest sample of each
 * series ({@link io.kubeobserve.adapter.store.SeriesStore}), with ordering, reset, staleness and
 * cardinality rules, rendered as prometheus-metrics snapshots.
 */
package io.kubeobserve.adapter.store;
