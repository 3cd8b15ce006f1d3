package io.kubeobserve.devstack.cluster.kubelet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the kubelet's {@code /metrics/cadvisor} from a {@link KubeletSnapshot}, built from the
 * recorded cAdvisor text of a Kubernetes 1.24 / containerd 1.6 node ({@link CadvisorTemplate}).
 *
 * <p>Every recorded family is kept with its HELP and TYPE, in recorded order. Node-wide series
 * (machine, {@code /}, {@code /kubepods}, QoS and system cgroups) keep their recorded label sets.
 * Each simulated pod gets the series of a recorded template pod re-keyed to it: {@code namespace},
 * {@code pod}, {@code container}, {@code image}, the cgroup {@code id} (from its QoS class and uid)
 * and the container {@code name} (its 64-hex id). Values:
 * <ul>
 *   <li>from the snapshot: CPU usage seconds (user/system in the recorded proportion), memory working
 *       set, usage, RSS, cache, max usage, page faults ({@code container_memory_failures_total}),
 *       {@code container_oom_events_total}, memory limit and CPU quota from the pod's limits, start
 *       time, last seen, the sandbox's {@code eth0} network bytes; {@code /}, {@code /kubepods} and
 *       the QoS cgroups carry the node's and pods' sums;
 *   <li>other counters grow at their recorded average rate (recorded value over the recorded age of
 *       the cgroup) over the simulated cgroup's age; other gauges keep their recorded value.
 * </ul>
 * Samples that had a timestamp carry the snapshot's instant.
 */
public final class CadvisorRenderer {

  private final CadvisorTemplate template;

  /** A renderer over the shipped recording. */
  public CadvisorRenderer() {
    this.template = new CadvisorTemplate(KubeletFixtures.get().cadvisor());
  }

  /** The exposition text. */
  public String render(KubeletSnapshot snapshot) {
    return PrometheusText.write(families(snapshot));
  }

  /** The families, before writing. */
  public List<PrometheusText.Family> families(KubeletSnapshot s) {
    double now = s.now().toEpochMilli() / 1000.0;
    double nodeStart = s.nodeStartTime().getEpochSecond();
    double recordedRootStart = template.recordedStart("/");
    List<PrometheusText.Family> result = new ArrayList<>();
    for (PrometheusText.Family family : template.families()) {
      List<PrometheusText.Sample> samples = new ArrayList<>();
      for (PrometheusText.Sample recorded : template.nodeWide(family.name())) {
        String id = recorded.label("id");
        double recordedStart = template.recordedStart(id);
        double start = Double.isNaN(recordedStart) || Double.isNaN(recordedRootStart) ? nodeStart
            : nodeStart + (recordedStart - recordedRootStart);
        Values values = nodeWideValues(s, id, start, now);
        samples.add(sample(family, recorded, recorded.labels(), recordedStart, values, s));
      }
      for (KubeletSnapshot.PodSample pod : s.pods()) {
        addPod(family, pod, s, now, samples);
      }
      result.add(family.withSamples(samples));
    }
    return result;
  }

  private void addPod(PrometheusText.Family family, KubeletSnapshot.PodSample pod, KubeletSnapshot s, double now,
      List<PrometheusText.Sample> out) {
    PodView view = pod.pod();
    boolean anyCpuLimit = view.containers().stream().anyMatch(c -> c.limits().cpuMillis() > 0);
    CadvisorTemplate.PodTemplate podTemplate = template.podTemplate(anyCpuLimit);
    String podCgroup = view.qosClass().podCgroup(view.uid());
    double podStart = pod.startTime().toEpochMilli() / 1000.0;
    long oom = 0;
    long memLimit = 0;
    boolean allMemLimited = !pod.containers().isEmpty();
    long cpuQuota = 0;
    for (KubeletSnapshot.ContainerSample c : pod.containers()) {
      oom += c.oomEvents();
      memLimit += c.view().limits().memoryBytes();
      allMemLimited &= c.view().limits().memoryBytes() > 0;
      cpuQuota += c.view().limits().cpuMillis() * 100;
    }
    Values podValues = new Values(podStart, now, pod.cpuCoreNanoSeconds() / 1e9, pod.workingSetBytes(),
        pod.usageBytes(), pod.rssBytes(), pod.usageBytes(), pod.pageFaults(), 0L, oom,
        allMemLimited ? memLimit : 0L, cpuQuota, null, null);
    for (PrometheusText.Sample recorded : podTemplate.pod().of(family.name())) {
      out.add(sample(family, recorded, labels(recorded, "", podCgroup, "", "", view), podTemplate.pod().recordedStartSeconds(),
          podValues, s));
    }
    String sandbox = ContainerIds.sandboxId(view.uid());
    Values sandboxValues = new Values(podStart, now, null, null, null, null, null, null, null, null, null, null,
        (double) pod.rxBytes(), (double) pod.txBytes());
    for (PrometheusText.Sample recorded : podTemplate.sandbox().of(family.name())) {
      out.add(sample(family, recorded, labels(recorded, "", podCgroup + "/" + sandbox, podTemplate.sandboxImage(), sandbox, view),
          podTemplate.sandbox().recordedStartSeconds(), sandboxValues, s));
    }
    for (KubeletSnapshot.ContainerSample c : pod.containers()) {
      CadvisorTemplate.Series series = template.podTemplate(c.view().limits().cpuMillis() > 0).container();
      Values values = new Values(c.startTime().toEpochMilli() / 1000.0, now, c.cpuCoreNanoSeconds() / 1e9,
          c.workingSetBytes(), c.usageBytes(), c.rssBytes(), c.maxUsageBytes(), c.pageFaults(), c.majorPageFaults(),
          c.oomEvents(), c.view().limits().memoryBytes(), c.view().limits().cpuMillis() * 100, null, null);
      for (PrometheusText.Sample recorded : series.of(family.name())) {
        double cpuShare = userSystemShare(series, family.name());
        Values scaled = Double.isNaN(cpuShare) ? values : values.withCpu(values.cpuSeconds() * cpuShare);
        out.add(sample(family, recorded, labels(recorded, c.name(), podCgroup + "/" + c.containerId(), c.view().image(),
            c.containerId(), view), series.recordedStartSeconds(), scaled, s));
      }
    }
  }

  private Values nodeWideValues(KubeletSnapshot s, String id, double start, double now) {
    if (id.equals("/")) {
      KubeletSnapshot.NodeValues n = s.node();
      return new Values(start, now, n.cpuCoreNanoSeconds() / 1e9, n.memoryWorkingSetBytes(), n.memoryUsageBytes(),
          n.memoryRssBytes(), null, null, null, null, null, null, null, null);
    }
    if (id.equals("/kubepods") || id.equals("/kubepods/burstable") || id.equals("/kubepods/besteffort")) {
      double cpu = 0;
      long ws = 0;
      long usage = 0;
      long rss = 0;
      for (KubeletSnapshot.PodSample pod : s.pods()) {
        if (id.equals("/kubepods") || pod.pod().qosClass().podCgroup(pod.pod().uid()).startsWith(id + "/")) {
          cpu += pod.cpuCoreNanoSeconds() / 1e9;
          ws += pod.workingSetBytes();
          usage += pod.usageBytes();
          rss += pod.rssBytes();
        }
      }
      return new Values(start, now, cpu, ws, usage, rss, null, null, null, null, null, null, null, null);
    }
    return new Values(start, now, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** For user/system CPU families, their recorded share of the usage; NaN for other families. */
  private static double userSystemShare(CadvisorTemplate.Series series, String family) {
    if (!family.equals("container_cpu_user_seconds_total") && !family.equals("container_cpu_system_seconds_total")) {
      return Double.NaN;
    }
    List<PrometheusText.Sample> part = series.of(family);
    List<PrometheusText.Sample> usage = series.of("container_cpu_usage_seconds_total");
    if (part.isEmpty() || usage.isEmpty() || usage.get(0).value() <= 0) {
      return Double.NaN;
    }
    return Math.min(1, part.get(0).value() / usage.get(0).value());
  }

  private static Map<String, String> labels(PrometheusText.Sample recorded, String container, String id, String image,
      String name, PodView pod) {
    Map<String, String> labels = new LinkedHashMap<>(recorded.labels());
    labels.put("container", container);
    labels.put("id", id);
    labels.put("image", image);
    labels.put("name", name);
    labels.put("namespace", pod.namespace());
    labels.put("pod", pod.name());
    return labels;
  }

  private static PrometheusText.Sample sample(PrometheusText.Family family, PrometheusText.Sample recorded,
      Map<String, String> labels, double recordedStart, Values v, KubeletSnapshot s) {
    Long timestamp = recorded.timestampMillis() == null ? null : s.now().toEpochMilli();
    return new PrometheusText.Sample(recorded.name(), labels, value(family, recorded, recordedStart, v), timestamp);
  }

  private static double value(PrometheusText.Family family, PrometheusText.Sample recorded, double recordedStart, Values v) {
    Double mapped = switch (family.name()) {
      case "container_cpu_usage_seconds_total", "container_cpu_user_seconds_total", "container_cpu_system_seconds_total" ->
          v.cpuSeconds();
      case "container_memory_working_set_bytes" -> asDouble(v.workingSet());
      case "container_memory_usage_bytes" -> asDouble(v.usage());
      case "container_memory_rss" -> asDouble(v.rss());
      case "container_memory_cache" -> v.usage() == null || v.rss() == null ? null : (double) Math.max(0, v.usage() - v.rss());
      case "container_memory_max_usage_bytes" -> asDouble(v.maxUsage());
      case "container_memory_failures_total" -> recorded.label("failure_type").equals("pgmajfault")
          ? asDouble(v.majorPageFaults()) : asDouble(v.pageFaults());
      case "container_oom_events_total" -> asDouble(v.oomEvents());
      case "container_spec_memory_limit_bytes" -> asDouble(v.memoryLimit());
      case "container_spec_cpu_quota" -> v.cpuQuota() == null || v.cpuQuota() == 0 ? null : (double) v.cpuQuota();
      case "container_start_time_seconds" -> (double) Math.floor(v.startSeconds());
      case "container_last_seen" -> (double) Math.floor(v.nowSeconds());
      case "container_network_receive_bytes_total" -> recorded.label("interface").equals("eth0") ? v.rxBytes() : null;
      case "container_network_transmit_bytes_total" -> recorded.label("interface").equals("eth0") ? v.txBytes() : null;
      default -> null;
    };
    if (mapped != null) {
      return mapped;
    }
    if (family.type().equals("counter") && recorded.timestampMillis() != null && !Double.isNaN(recordedStart)) {
      double recordedAge = recorded.timestampMillis() / 1000.0 - recordedStart;
      double age = Math.max(0, v.nowSeconds() - v.startSeconds());
      if (recordedAge > 0) {
        return Math.floor(recorded.value() / recordedAge * age * 1e6) / 1e6;
      }
    }
    return recorded.value();
  }

  private static Double asDouble(Long value) {
    return value == null ? null : value.doubleValue();
  }

  /** The simulated values of one cgroup; null = not simulated (the recorded value or rate is used). */
  private record Values(double startSeconds, double nowSeconds, Double cpuSeconds, Long workingSet, Long usage, Long rss,
      Long maxUsage, Long pageFaults, Long majorPageFaults, Long oomEvents, Long memoryLimit, Long cpuQuota,
      Double rxBytes, Double txBytes) {

    Values withCpu(double seconds) {
      return new Values(startSeconds, nowSeconds, seconds, workingSet, usage, rss, maxUsage, pageFaults, majorPageFaults,
          oomEvents, memoryLimit, cpuQuota, rxBytes, txBytes);
    }
  }
}
