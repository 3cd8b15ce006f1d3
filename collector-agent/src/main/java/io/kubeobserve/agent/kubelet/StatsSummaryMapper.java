package io.kubeobserve.agent.kubelet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the kubelet's {@code /stats/summary} JSON to OTLP metrics with the names, units, types and
 * resource attributes of the OpenTelemetry Collector's {@code kubeletstats} receiver (its metrics
 * enabled by default), so that consumers translating them to Prometheus get the standard names
 * ({@code k8s.node.memory.available} → {@code k8s_node_memory_available_bytes}).
 *
 * <ul>
 *   <li>node ({@code k8s.node.name}): {@code k8s.node.cpu.time}, {@code .cpu.usage},
 *       {@code .memory.available|usage|rss|working_set|page_faults|major_page_faults},
 *       {@code .filesystem.available|capacity|usage} (from {@code fs}), {@code .network.io} and
 *       {@code .network.errors} (the default interface; attributes {@code interface},
 *       {@code direction});
 *   <li>pod (+ {@code k8s.pod.uid}, {@code k8s.pod.name}, {@code k8s.namespace.name}): the same
 *       under {@code k8s.pod.*}, filesystem from {@code ephemeral-storage};
 *   <li>container (+ {@code k8s.container.name}): {@code container.cpu.*},
 *       {@code container.memory.*}, {@code container.filesystem.*} (from {@code rootfs});
 *   <li>volume (pod attributes + {@code k8s.volume.name}, and
 *       {@code k8s.persistentvolumeclaim.name} for claims): {@code k8s.volume.available},
 *       {@code .capacity}, {@code .inodes}, {@code .inodes.free}, {@code .inodes.used}.
 * </ul>
 *
 * <p>Every resource also carries {@code k8s.cluster.name}. Values absent from the JSON are not
 * emitted. Each point's time is its stats group's {@code time} (else the scrape time); cumulative
 * sums start at the node's, pod's or container's {@code startTime}, so that a restart shows as a new
 * start time. {@code k8s.volume.type} needs the pod's spec and is not set.
 */
public final class StatsSummaryMapper {

  /** The instrumentation scope of metrics from {@code /stats/summary}. */
  public static final String SCOPE = "io.kubeobserve.agent.kubelet.stats";
  static final String K8S_PERSISTENTVOLUMECLAIM_NAME = "k8s.persistentvolumeclaim.name";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CPU_TIME = "Total cumulative CPU time (sum of all cores) spent by the container/pod/node "
      + "since its creation";
  private static final String CPU_USAGE = "Total CPU usage (sum of all cores per second) averaged over the sample window";

  private StatsSummaryMapper() {}

  /** Parses and maps a {@code /stats/summary} response body. */
  public static ExportMetricsServiceRequest toOtlp(byte[] json, String clusterName, Instant scrapeTime)
      throws StatsSummaryFormatException {
    JsonNode summary;
    try {
      summary = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new StatsSummaryFormatException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new StatsSummaryFormatException("unreadable: " + e.getMessage(), e);
    }
    return toOtlp(summary, clusterName, scrapeTime);
  }

  /** Maps a parsed {@code /stats/summary} response. */
  public static ExportMetricsServiceRequest toOtlp(JsonNode summary, String clusterName, Instant scrapeTime)
      throws StatsSummaryFormatException {
    JsonNode node = summary.path("node");
    String nodeName = node.path("nodeName").asText("");
    if (nodeName.isEmpty()) {
      throw new StatsSummaryFormatException("no node.nodeName: not a /stats/summary response", null);
    }
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    List<KeyValue> nodeAttributes = List.of(
        OtlpValues.string(Attributes.K8S_CLUSTER_NAME, clusterName),
        OtlpValues.string(Attributes.K8S_NODE_NAME, nodeName));
    Instant fallback = scrapeTime;

    Points nodePoints = new Points(fallback);
    long nodeStart = startNanos(node, "node");
    cpu(nodePoints, "k8s.node", node.path("cpu"), nodeStart);
    memory(nodePoints, "k8s.node", "Node", node.path("memory"));
    filesystem(nodePoints, "k8s.node", "Node", node.path("fs"));
    network(nodePoints, "k8s.node", "Node", node.path("network"), nodeStart);
    nodePoints.addTo(request, nodeAttributes);

    for (JsonNode pod : summary.path("pods")) {
      JsonNode ref = pod.path("podRef");
      String podName = ref.path("name").asText("");
      String where = "pod " + ref.path("namespace").asText("") + "/" + podName;
      if (podName.isEmpty() || !ref.hasNonNull("uid") || !ref.hasNonNull("namespace")) {
        throw new StatsSummaryFormatException(where + ": podRef needs name, namespace and uid", null);
      }
      List<KeyValue> podAttributes = new ArrayList<>(nodeAttributes);
      podAttributes.add(OtlpValues.string(Attributes.K8S_POD_UID, ref.path("uid").asText()));
      podAttributes.add(OtlpValues.string(Attributes.K8S_POD_NAME, podName));
      podAttributes.add(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, ref.path("namespace").asText()));

      Points podPoints = new Points(fallback);
      long podStart = startNanos(pod, where);
      cpu(podPoints, "k8s.pod", pod.path("cpu"), podStart);
      memory(podPoints, "k8s.pod", "Pod", pod.path("memory"));
      filesystem(podPoints, "k8s.pod", "Pod", pod.path("ephemeral-storage"));
      network(podPoints, "k8s.pod", "Pod", pod.path("network"), podStart);
      podPoints.addTo(request, podAttributes);

      for (JsonNode container : pod.path("containers")) {
        String containerName = container.path("name").asText("");
        if (containerName.isEmpty()) {
          throw new StatsSummaryFormatException(where + ": a container without a name", null);
        }
        List<KeyValue> containerAttributes = new ArrayList<>(podAttributes);
        containerAttributes.add(OtlpValues.string(Attributes.K8S_CONTAINER_NAME, containerName));
        Points containerPoints = new Points(fallback);
        cpu(containerPoints, "container", container.path("cpu"), startNanos(container, where + " " + containerName));
        memory(containerPoints, "container", "Container", container.path("memory"));
        filesystem(containerPoints, "container", "Container", container.path("rootfs"));
        containerPoints.addTo(request, containerAttributes);
      }

      for (JsonNode volume : pod.path("volume")) {
        String volumeName = volume.path("name").asText("");
        if (volumeName.isEmpty()) {
          throw new StatsSummaryFormatException(where + ": a volume without a name", null);
        }
        List<KeyValue> volumeAttributes = new ArrayList<>(podAttributes);
        volumeAttributes.add(OtlpValues.string(Attributes.K8S_VOLUME_NAME, volumeName));
        String claim = volume.path("pvcRef").path("name").asText("");
        if (!claim.isEmpty()) {
          volumeAttributes.add(OtlpValues.string(K8S_PERSISTENTVOLUMECLAIM_NAME, claim));
        }
        Points volumePoints = new Points(fallback);
        volume(volumePoints, volume);
        volumePoints.addTo(request, volumeAttributes);
      }
    }
    return request.build();
  }

  private static void cpu(Points points, String prefix, JsonNode cpu, long startNanos)
      throws StatsSummaryFormatException {
    long time = points.timeNanos(cpu);
    if (cpu.hasNonNull("usageCoreNanoSeconds")) {
      points.sum(prefix + ".cpu.time", "s", CPU_TIME, startNanos, time,
          cpu.path("usageCoreNanoSeconds").asDouble() / 1e9, List.of());
    }
    if (cpu.hasNonNull("usageNanoCores")) {
      points.gauge(prefix + ".cpu.usage", "{cpu}", CPU_USAGE, time, cpu.path("usageNanoCores").asDouble() / 1e9);
    }
  }

  private static void memory(Points points, String prefix, String entity, JsonNode memory)
      throws StatsSummaryFormatException {
    long time = points.timeNanos(memory);
    points.gaugeInt(prefix + ".memory.available", "By", entity + " memory available", time, memory, "availableBytes");
    points.gaugeInt(prefix + ".memory.usage", "By", entity + " memory usage", time, memory, "usageBytes");
    points.gaugeInt(prefix + ".memory.rss", "By", entity + " memory rss", time, memory, "rssBytes");
    points.gaugeInt(prefix + ".memory.working_set", "By", entity + " memory working_set", time, memory,
        "workingSetBytes");
    points.gaugeInt(prefix + ".memory.page_faults", "1", entity + " memory page_faults", time, memory, "pageFaults");
    points.gaugeInt(prefix + ".memory.major_page_faults", "1", entity + " memory major_page_faults", time, memory,
        "majorPageFaults");
  }

  private static void filesystem(Points points, String prefix, String entity, JsonNode fs)
      throws StatsSummaryFormatException {
    long time = points.timeNanos(fs);
    points.gaugeInt(prefix + ".filesystem.available", "By", entity + " filesystem available", time, fs,
        "availableBytes");
    points.gaugeInt(prefix + ".filesystem.capacity", "By", entity + " filesystem capacity", time, fs,
        "capacityBytes");
    points.gaugeInt(prefix + ".filesystem.usage", "By", entity + " filesystem usage", time, fs, "usedBytes");
  }

  private static void network(Points points, String prefix, String entity, JsonNode network, long startNanos)
      throws StatsSummaryFormatException {
    String name = network.path("name").asText("");
    if (name.isEmpty()) {
      return;
    }
    long time = points.timeNanos(network);
    for (String direction : List.of("receive", "transmit")) {
      String side = direction.equals("receive") ? "rx" : "tx";
      List<KeyValue> attributes = List.of(OtlpValues.string("interface", name), OtlpValues.string("direction", direction));
      if (network.hasNonNull(side + "Bytes")) {
        points.sumInt(prefix + ".network.io", "By", entity + " network IO", startNanos, time,
            network.path(side + "Bytes").asLong(), attributes);
      }
      if (network.hasNonNull(side + "Errors")) {
        points.sumInt(prefix + ".network.errors", "1", entity + " network errors", startNanos, time,
            network.path(side + "Errors").asLong(), attributes);
      }
    }
  }

  private static void volume(Points points, JsonNode volume) throws StatsSummaryFormatException {
    long time = points.timeNanos(volume);
    points.gaugeInt("k8s.volume.available", "By", "The number of available bytes in the volume.", time, volume,
        "availableBytes");
    points.gaugeInt("k8s.volume.capacity", "By", "The total capacity in bytes of the volume.", time, volume,
        "capacityBytes");
    points.gaugeInt("k8s.volume.inodes", "1", "The total inodes in the filesystem.", time, volume, "inodes");
    points.gaugeInt("k8s.volume.inodes.free", "1", "The free inodes in the filesystem.", time, volume, "inodesFree");
    points.gaugeInt("k8s.volume.inodes.used", "1", "The inodes used by the filesystem. This may not equal inodes - "
        + "free because filesystem may share inodes with other filesystems.", time, volume, "inodesUsed");
  }

  private static long startNanos(JsonNode entity, String where) throws StatsSummaryFormatException {
    return entity.hasNonNull("startTime") ? nanos(entity.path("startTime").asText(), where + " startTime") : 0;
  }

  private static long nanos(String rfc3339, String what) throws StatsSummaryFormatException {
    try {
      Instant instant = Instant.parse(rfc3339);
      return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    } catch (DateTimeParseException e) {
      throw new StatsSummaryFormatException(what + " is not an RFC 3339 time: '" + rfc3339 + "'", e);
    }
  }

  /** The metrics of one resource, in the order they were added. */
  private static final class Points {

    private final long fallbackNanos;
    private final List<Metric> metrics = new ArrayList<>();

    Points(Instant fallback) {
      this.fallbackNanos = fallback.getEpochSecond() * 1_000_000_000L + fallback.getNano();
    }

    long timeNanos(JsonNode group) throws StatsSummaryFormatException {
      return group.hasNonNull("time") ? nanos(group.path("time").asText(), "time") : fallbackNanos;
    }

    void gauge(String name, String unit, String description, long time, double value) {
      metrics.add(Metric.newBuilder().setName(name).setUnit(unit).setDescription(description)
          .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(time)
              .setAsDouble(value))).build());
    }

    /** An integer gauge from {@code group.field}, when the JSON has it. */
    void gaugeInt(String name, String unit, String description, long time, JsonNode group, String field)
        throws StatsSummaryFormatException {
      JsonNode value = group.path(field);
      if (value.isMissingNode() || value.isNull()) {
        return;
      }
      if (!value.canConvertToLong()) {
        throw new StatsSummaryFormatException(field + " is not an integer: " + value, null);
      }
      metrics.add(Metric.newBuilder().setName(name).setUnit(unit).setDescription(description)
          .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(time)
              .setAsInt(value.asLong()))).build());
    }

    void sum(String name, String unit, String description, long start, long time, double value,
        List<KeyValue> attributes) {
      add(name, unit, description, NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time)
          .setAsDouble(value).addAllAttributes(attributes).build());
    }

    void sumInt(String name, String unit, String description, long start, long time, long value,
        List<KeyValue> attributes) {
      add(name, unit, description, NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time)
          .setAsInt(value).addAllAttributes(attributes).build());
    }

    /** Adds a point to the monotonic sum {@code name}, creating it on first use. */
    private void add(String name, String unit, String description, NumberDataPoint point) {
      for (int i = 0; i < metrics.size(); i++) {
        Metric existing = metrics.get(i);
        if (existing.getName().equals(name)) {
          metrics.set(i, existing.toBuilder().setSum(existing.getSum().toBuilder().addDataPoints(point)).build());
          return;
        }
      }
      metrics.add(Metric.newBuilder().setName(name).setUnit(unit).setDescription(description)
          .setSum(Sum.newBuilder().setIsMonotonic(true)
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
              .addDataPoints(point)).build());
    }

    void addTo(ExportMetricsServiceRequest.Builder request, List<KeyValue> attributes) {
      if (metrics.isEmpty()) {
        return;
      }
      request.addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(Resource.newBuilder().addAllAttributes(attributes))
          .addScopeMetrics(ScopeMetrics.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName(SCOPE))
              .addAllMetrics(metrics)));
    }
  }
}
