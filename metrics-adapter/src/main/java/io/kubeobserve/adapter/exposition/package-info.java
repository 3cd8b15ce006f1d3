/** The endpoint Prometheus scrapes: text format or OpenMetrics, by the prometheus-metrics library. */
package io.kubeobserve.adapter.exposition;
