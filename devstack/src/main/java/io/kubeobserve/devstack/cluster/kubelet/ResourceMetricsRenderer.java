package io.kubeobserve.devstack.cluster.kubelet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the kubelet's {@code /metrics/resource} (what metrics-server scrapes) from a {@link
 * KubeletSnapshot}: the recorded families with their HELP and TYPE in recorded order, one series per
 * running container and per pod, the node's, and {@code scrape_error 0}; every sample stamped with
 * the snapshot's instant, as recorded.
 */
public final class ResourceMetricsRenderer {

  private final List<PrometheusText.Family> recorded;

  /** A renderer over the shipped recording. */
  public ResourceMetricsRenderer() {
    this.recorded = KubeletFixtures.get().resource();
  }

  /** The exposition text. */
  public String render(KubeletSnapshot s) {
    long ts = s.now().toEpochMilli();
    List<PrometheusText.Family> families = new ArrayList<>();
    for (PrometheusText.Family family : recorded) {
      List<PrometheusText.Sample> samples = new ArrayList<>();
      switch (family.name()) {
        case "container_cpu_usage_seconds_total", "container_memory_working_set_bytes" -> {
          for (KubeletSnapshot.PodSample pod : s.pods()) {
            for (KubeletSnapshot.ContainerSample c : pod.containers()) {
              double value = family.name().startsWith("container_cpu") ? c.cpuCoreNanoSeconds() / 1e9 : c.workingSetBytes();
              samples.add(new PrometheusText.Sample(family.name(), labels(c.name(), pod.pod()), value, ts));
            }
          }
        }
        case "pod_cpu_usage_seconds_total", "pod_memory_working_set_bytes" -> {
          for (KubeletSnapshot.PodSample pod : s.pods()) {
            double value = family.name().startsWith("pod_cpu") ? pod.cpuCoreNanoSeconds() / 1e9 : pod.workingSetBytes();
            samples.add(new PrometheusText.Sample(family.name(), labels(null, pod.pod()), value, ts));
          }
        }
        case "node_cpu_usage_seconds_total" ->
            samples.add(new PrometheusText.Sample(family.name(), Map.of(), s.node().cpuCoreNanoSeconds() / 1e9, ts));
        case "node_memory_working_set_bytes" ->
            samples.add(new PrometheusText.Sample(family.name(), Map.of(), s.node().memoryWorkingSetBytes(), ts));
        default -> samples.addAll(family.samples());
      }
      families.add(family.withSamples(samples));
    }
    return PrometheusText.write(families);
  }

  private static Map<String, String> labels(String container, PodView pod) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (container != null) {
      labels.put("container", container);
    }
    labels.put("namespace", pod.namespace());
    labels.put("pod", pod.name());
    return labels;
  }
}
