package io.kubeobserve.devstack.cluster.kubelet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Renders a few families of the kubelet's own {@code /metrics}. There is no recorded kubelet {@code
 * /metrics} payload, so these are hand-built from the kubelet's documented metric names, label names,
 * types and help texts ({@code pkg/kubelet/metrics/metrics.go}, stability ALPHA, hence the {@code
 * [ALPHA]} prefix the component-base registry writes): {@code kubelet_node_name}, {@code
 * kubelet_running_pods}, {@code kubelet_running_containers{container_state}}, {@code
 * kubelet_evictions{eviction_signal}} (a counter without {@code _total}, as the kubelet names it) and
 * the six {@code kubelet_volume_stats_*} gauges per persistent volume claim. Like the kubelet's
 * counter vectors, {@code kubelet_evictions} has a series only for signals that evicted a pod.
 */
public final class KubeletMetricsRenderer {

  private record Volume(String name, String help, ToLongFunction<KubeletSnapshot.ClaimSample> value) {}

  private static final List<Volume> VOLUME_STATS = List.of(
      new Volume("kubelet_volume_stats_available_bytes", "Number of available bytes in the volume",
          KubeletSnapshot.ClaimSample::availableBytes),
      new Volume("kubelet_volume_stats_capacity_bytes", "Capacity in bytes of the volume",
          KubeletSnapshot.ClaimSample::capacityBytes),
      new Volume("kubelet_volume_stats_inodes", "Maximum number of inodes in the volume",
          KubeletSnapshot.ClaimSample::inodes),
      new Volume("kubelet_volume_stats_inodes_free", "Number of free inodes in the volume",
          KubeletSnapshot.ClaimSample::inodesFree),
      new Volume("kubelet_volume_stats_inodes_used", "Number of used inodes in the volume",
          KubeletSnapshot.ClaimSample::inodesUsed),
      new Volume("kubelet_volume_stats_used_bytes", "Number of used bytes in the volume",
          KubeletSnapshot.ClaimSample::usedBytes));

  /** The exposition text. */
  public String render(KubeletSnapshot s) {
    List<PrometheusText.Family> families = new ArrayList<>();
    Map<String, Long> evictions = new TreeMap<>(s.evictions());
    List<PrometheusText.Sample> evictionSamples = new ArrayList<>();
    evictions.forEach((signal, count) ->
        evictionSamples.add(sample("kubelet_evictions", Map.of("eviction_signal", signal), count)));
    families.add(new PrometheusText.Family("kubelet_evictions",
        "[ALPHA] Cumulative number of pod evictions by eviction signal", "counter", evictionSamples));
    families.add(new PrometheusText.Family("kubelet_node_name", "[ALPHA] The node's name. The count is always 1.",
        "gauge", List.of(sample("kubelet_node_name", Map.of("node", s.nodeName()), 1))));
    long runningPods = s.pods().stream().filter(p -> !p.containers().isEmpty()).count();
    long runningContainers = s.pods().stream().mapToLong(p -> p.containers().size()).sum();
    long exited = s.pods().stream().flatMap(p -> p.pod().containers().stream())
        .filter(c -> c.state() == PodView.ContainerState.TERMINATED).count();
    Map<String, Long> states = new LinkedHashMap<>();
    states.put("exited", exited);
    states.put("running", runningContainers);
    List<PrometheusText.Sample> containerSamples = new ArrayList<>();
    states.forEach((state, count) ->
        containerSamples.add(sample("kubelet_running_containers", Map.of("container_state", state), count)));
    families.add(new PrometheusText.Family("kubelet_running_containers", "[ALPHA] Number of containers currently running",
        "gauge", containerSamples));
    families.add(new PrometheusText.Family("kubelet_running_pods", "[ALPHA] Number of pods that have a running pod sandbox",
        "gauge", List.of(sample("kubelet_running_pods", Map.of(), runningPods))));
    for (Volume volume : VOLUME_STATS) {
      List<PrometheusText.Sample> samples = new ArrayList<>();
      for (KubeletSnapshot.ClaimSample claim : s.claims()) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("namespace", claim.namespace());
        labels.put("persistentvolumeclaim", claim.claim());
        samples.add(sample(volume.name(), labels, volume.value().applyAsLong(claim)));
      }
      families.add(new PrometheusText.Family(volume.name(), "[ALPHA] " + volume.help(), "gauge", samples));
    }
    return PrometheusText.write(families);
  }

  private static PrometheusText.Sample sample(String name, Map<String, String> labels, double value) {
    return new PrometheusText.Sample(name, labels, value, null);
  }
}
