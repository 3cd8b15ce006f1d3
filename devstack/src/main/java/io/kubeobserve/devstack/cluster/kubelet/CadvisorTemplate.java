package io.kubeobserve.devstack.cluster.kubelet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded {@code /metrics/cadvisor} split by the cgroup each series describes (its {@code id}
 * label): node-wide series (machine, root, {@code /kubepods}, QoS and system cgroups) are kept as
 * recorded; the series of two recorded pods are the templates of simulated pods — the {@code
 * php-apache} pod (burstable, container with a CPU limit: it has the CFS series) and the {@code
 * metrics-server} pod (burstable, no CPU limit). Each template has the pod cgroup's series, the
 * sandbox (pause) container's and the app container's, with every label variant as recorded
 * ({@code failure_type}/{@code scope}, {@code interface}, {@code state}, {@code device}, {@code ulimit}).
 */
final class CadvisorTemplate {

  /** Series of one recorded cgroup role, by family name. */
  record Series(Map<String, List<PrometheusText.Sample>> byFamily, double recordedStartSeconds) {

    List<PrometheusText.Sample> of(String family) {
      return byFamily.getOrDefault(family, List.of());
    }
  }

  /** A recorded pod: its cgroup, sandbox and app container series. */
  record PodTemplate(String recordedPod, Series pod, Series sandbox, Series container, String sandboxImage) {}

  static final String LIMITED_POD = "e2e-hpa-d4b9c8bb9-5dg8z";
  static final String UNLIMITED_POD = "metrics-server-8894f74c6-8th9v";

  private final List<PrometheusText.Family> families;
  private final Map<String, List<PrometheusText.Sample>> nodeWide = new LinkedHashMap<>();
  private final Map<String, Double> recordedStartSeconds = new HashMap<>();
  private final PodTemplate limited;
  private final PodTemplate unlimited;

  CadvisorTemplate(List<PrometheusText.Family> recorded) {
    this.families = recorded;
    for (PrometheusText.Family family : recorded) {
      if (family.name().equals("container_start_time_seconds")) {
        for (PrometheusText.Sample sample : family.samples()) {
          recordedStartSeconds.put(sample.label("id"), sample.value());
        }
      }
    }
    for (PrometheusText.Family family : recorded) {
      List<PrometheusText.Sample> kept = new ArrayList<>();
      for (PrometheusText.Sample sample : family.samples()) {
        if (sample.label("pod").isEmpty()) {
          kept.add(sample);
        }
      }
      nodeWide.put(family.name(), kept);
    }
    this.limited = podTemplate(LIMITED_POD);
    this.unlimited = podTemplate(UNLIMITED_POD);
  }

  List<PrometheusText.Family> families() {
    return families;
  }

  List<PrometheusText.Sample> nodeWide(String family) {
    return nodeWide.getOrDefault(family, List.of());
  }

  /** The template for a pod: the CFS-carrying one when any container has a CPU limit. */
  PodTemplate podTemplate(boolean cpuLimited) {
    return cpuLimited ? limited : unlimited;
  }

  /** When the recorded cgroup {@code id} started (seconds since the epoch), or NaN when unknown. */
  double recordedStart(String id) {
    return recordedStartSeconds.getOrDefault(id, Double.NaN);
  }

  private PodTemplate podTemplate(String pod) {
    Map<String, List<PrometheusText.Sample>> podSeries = new LinkedHashMap<>();
    Map<String, List<PrometheusText.Sample>> sandboxSeries = new LinkedHashMap<>();
    Map<String, List<PrometheusText.Sample>> containerSeries = new LinkedHashMap<>();
    String podId = null;
    String sandboxId = null;
    String containerId = null;
    String sandboxImage = "registry.k8s.io/pause:3.9";
    for (PrometheusText.Family family : families) {
      for (PrometheusText.Sample sample : family.samples()) {
        if (!pod.equals(sample.label("pod"))) {
          continue;
        }
        Map<String, List<PrometheusText.Sample>> target;
        if (!sample.label("container").isEmpty()) {
          target = containerSeries;
          containerId = sample.label("id");
        } else if (!sample.label("name").isEmpty()) {
          target = sandboxSeries;
          sandboxId = sample.label("id");
          sandboxImage = sample.label("image");
        } else {
          target = podSeries;
          podId = sample.label("id");
        }
        target.computeIfAbsent(family.name(), k -> new ArrayList<>()).add(sample);
      }
    }
    if (podId == null || sandboxId == null || containerId == null) {
      throw new IllegalStateException("the recorded cAdvisor text lacks the series of pod " + pod);
    }
    return new PodTemplate(pod, new Series(podSeries, recordedStart(podId)),
        new Series(sandboxSeries, recordedStart(sandboxId)), new Series(containerSeries, recordedStart(containerId)),
        sandboxImage);
  }
}
