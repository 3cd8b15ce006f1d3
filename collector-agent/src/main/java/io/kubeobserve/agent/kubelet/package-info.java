/**
 * The agent's kubelet metrics: the scrape client ({@link io.kubeobserve.agent.kubelet.KubeletScraper}
 * over a {@link io.kubeobserve.agent.kubelet.KubeletTransport}: straight to the kubelet with a
 * rotating {@link io.kubeobserve.agent.kubelet.TokenFile} and verified TLS, or through the API
 * server's {@code nodes/proxy}), the strict Prometheus text parser ({@link
 * io.kubeobserve.agent.kubelet.ExpositionParser}) and the protobuf decoder ({@link
 * io.kubeobserve.agent.kubelet.ProtobufExposition}), and the mappings of the kubelet's
 * {@code /metrics/cadvisor}, {@code /metrics/resource} and {@code /metrics} expositions ({@link
 * io.kubeobserve.agent.kubelet.ExpositionMapper}) and {@code /stats/summary} ({@link
 * io.kubeobserve.agent.kubelet.StatsSummaryMapper}) to OTLP metrics for {@code k8s-metrics}, cut
 * into records by {@link io.kubeobserve.agent.kubelet.OtlpSplitter}.
 */
package io.kubeobserve.agent.kubelet;
