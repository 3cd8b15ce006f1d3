/**
 * The agent's kubelet metrics: the strict Prometheus text parser ({@link
 * io.kubeobserve.agent.kubelet.ExpositionParser}) and the mappings of the kubelet's
 * {@code /metrics/cadvisor} and {@code /metrics/resource} expositions ({@link
 * io.kubeobserve.agent.kubelet.ExpositionMapper}) and {@code /stats/summary} ({@link
 * io.kubeobserve.agent.kubelet.StatsSummaryMapper}) to OTLP metrics for {@code k8s-metrics}. The
 * scrape client that feeds them is not built yet.
 */
package io.kubeobserve.agent.kubelet;
