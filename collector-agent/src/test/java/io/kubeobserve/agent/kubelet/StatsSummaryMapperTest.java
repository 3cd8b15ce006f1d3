package io.kubeobserve.agent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatsSummaryMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant SCRAPED = Instant.parse("2023-09-06T16:15:45Z");

  static Stream<Arguments> summaries() {
    return Stream.of(
        Arguments.of(KubeletFixtures.SUMMARY_1_18, "golden/kubelet/stats-summary_k8s-1.18.json"),
        Arguments.of(KubeletFixtures.SUMMARY_1_24, "golden/kubelet/stats-summary_k8s-1.24.json"),
        Arguments.of(KubeletFixtures.SUMMARY_1_35, "golden/kubelet/stats-summary_k8s-1.35.json"));
  }

  /**
   * Every value emitted equals its field in the recorded JSON, and the whole mapping matches the
   * reviewed golden listing.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("summaries")
  void aRecordedSummaryMapsToKubeletstatsMetrics(String fixture, String golden) throws Exception {
    byte[] bytes = KubeletFixtures.bytes(fixture);
    JsonNode json = JSON.readTree(bytes);

    ExportMetricsServiceRequest request = StatsSummaryMapper.toOtlp(bytes, "lab", SCRAPED);

    int pods = json.path("pods").size();
    int containers = 0;
    int volumes = 0;
    for (JsonNode pod : json.path("pods")) {
      containers += pod.path("containers").size();
      volumes += pod.path("volume").size();
    }
    assertThat(request.getResourceMetricsList()).hasSize(1 + pods + containers + volumes);
    JsonNode node = json.path("node");
    ResourceMetrics nodeResource = request.getResourceMetrics(0);
    assertThat(OtlpValues.stringAttribute(nodeResource.getResource().getAttributesList(), Attributes.K8S_NODE_NAME))
        .contains(node.path("nodeName").asText());
    assertThat(intValue(nodeResource, "k8s.node.memory.available")).isEqualTo(node.at("/memory/availableBytes").asLong());
    assertThat(intValue(nodeResource, "k8s.node.memory.working_set"))
        .isEqualTo(node.at("/memory/workingSetBytes").asLong());
    assertThat(intValue(nodeResource, "k8s.node.filesystem.capacity")).isEqualTo(node.at("/fs/capacityBytes").asLong());
    NumberDataPoint cpuTime = point(nodeResource, "k8s.node.cpu.time");
    assertThat(cpuTime.getAsDouble()).isEqualTo(node.at("/cpu/usageCoreNanoSeconds").asLong() / 1e9);
    assertThat(cpuTime.getStartTimeUnixNano()).isEqualTo(nanos(node.path("startTime").asText()));
    assertThat(cpuTime.getTimeUnixNano()).isEqualTo(nanos(node.at("/cpu/time").asText()));
    assertThat(point(nodeResource, "k8s.node.cpu.usage").getAsDouble())
        .isEqualTo(node.at("/cpu/usageNanoCores").asLong() / 1e9);

    Metric networkIo = metric(nodeResource, "k8s.node.network.io").orElseThrow();
    assertThat(networkIo.getUnit()).isEqualTo("By");
    assertThat(networkIo.getSum().getIsMonotonic()).isTrue();
    assertThat(networkIo.getSum().getDataPointsList()).extracting(p -> OtlpListing.attributes(p.getAttributesList()))
        .containsExactly("{interface=\"eth0\",direction=\"receive\"}", "{interface=\"eth0\",direction=\"transmit\"}");
    assertThat(networkIo.getSum().getDataPoints(0).getAsInt()).isEqualTo(node.at("/network/rxBytes").asLong());

    Golden.assertJsonMatches(golden, GoldenJson.of(request));
  }

  @Test
  void containersAndPodsCarryTheirIdentityAndTheirOwnStartTimes() throws Exception {
    ExportMetricsServiceRequest request =
        StatsSummaryMapper.toOtlp(KubeletFixtures.bytes(KubeletFixtures.SUMMARY_1_24), "lab", SCRAPED);

    ResourceMetrics etcd = resource(request, Map.of(Attributes.K8S_POD_NAME, "etcd-datagen-1-24",
        Attributes.K8S_CONTAINER_NAME, "etcd"));
    assertThat(OtlpListing.attributes(etcd.getResource().getAttributesList())).isEqualTo(
        "{k8s.cluster.name=\"lab\",k8s.node.name=\"datagen-1-24\",k8s.pod.uid=\"322d4c35364c41fd12af24fb73e4e208\","
            + "k8s.pod.name=\"etcd-datagen-1-24\",k8s.namespace.name=\"kube-system\",k8s.container.name=\"etcd\"}");
    assertThat(etcd.getScopeMetrics(0).getScope().getName()).isEqualTo(StatsSummaryMapper.SCOPE);
    // the same node's cAdvisor says container_memory_working_set_bytes{container="etcd"} 3.2468992e+07
    assertThat(intValue(etcd, "container.memory.working_set")).isEqualTo(32468992L);
    NumberDataPoint cpu = point(etcd, "container.cpu.time");
    assertThat(cpu.getAsDouble()).isEqualTo(4.686213);
    assertThat(cpu.getStartTimeUnixNano()).isEqualTo(nanos("2023-09-06T16:13:47Z"));
    assertThat(metric(etcd, "container.memory.available")).as("no limit, no available memory").isEmpty();
    assertThat(metric(etcd, "container.cpu.usage").orElseThrow().getUnit()).isEqualTo("{cpu}");
    assertThat(metric(etcd, "container.memory.page_faults").orElseThrow().getUnit()).isEqualTo("1");

    ResourceMetrics pod = resource(request, Map.of(Attributes.K8S_POD_NAME, "etcd-datagen-1-24"));
    assertThat(metric(pod, "k8s.pod.network.io")).isPresent();
    assertThat(metric(pod, "k8s.pod.filesystem.usage")).isPresent();

    ResourceMetrics volume = request.getResourceMetricsList().stream()
        .filter(r -> OtlpValues.stringAttribute(r.getResource().getAttributesList(), Attributes.K8S_VOLUME_NAME)
            .isPresent()).findFirst().orElseThrow();
    assertThat(volume.getScopeMetrics(0).getMetricsList()).extracting(Metric::getName).containsExactly(
        "k8s.volume.available", "k8s.volume.capacity", "k8s.volume.inodes", "k8s.volume.inodes.free",
        "k8s.volume.inodes.used");
  }

  @Test
  void aPayloadThatIsNotASummaryIsRejectedWithAReason() {
    assertThatThrownBy(() -> StatsSummaryMapper.toOtlp("{\"node\":".getBytes(StandardCharsets.UTF_8), "lab", SCRAPED))
        .isInstanceOf(StatsSummaryFormatException.class).hasMessageStartingWith("not JSON: ");
    assertThatThrownBy(() -> StatsSummaryMapper.toOtlp("{\"pods\":[]}".getBytes(StandardCharsets.UTF_8), "lab",
        SCRAPED)).isInstanceOf(StatsSummaryFormatException.class).hasMessageContaining("no node.nodeName");
    assertThatThrownBy(() -> StatsSummaryMapper.toOtlp(("{\"node\":{\"nodeName\":\"n\",\"memory\":{\"time\":\"yesterday\","
        + "\"usageBytes\":1}}}").getBytes(StandardCharsets.UTF_8), "lab", SCRAPED))
        .isInstanceOf(StatsSummaryFormatException.class).hasMessageContaining("'yesterday'");
  }

  private static ResourceMetrics resource(ExportMetricsServiceRequest request, Map<String, String> attributes) {
    return request.getResourceMetricsList().stream()
        .filter(r -> attributes.entrySet().stream().allMatch(e ->
            OtlpValues.stringAttribute(r.getResource().getAttributesList(), e.getKey()).orElse("").equals(e.getValue())))
        .filter(r -> attributes.containsKey(Attributes.K8S_CONTAINER_NAME)
            || OtlpValues.stringAttribute(r.getResource().getAttributesList(), Attributes.K8S_CONTAINER_NAME).isEmpty()
            && OtlpValues.stringAttribute(r.getResource().getAttributesList(), Attributes.K8S_VOLUME_NAME).isEmpty())
        .findFirst().orElseThrow();
  }

  private static Optional<Metric> metric(ResourceMetrics resource, String name) {
    return resource.getScopeMetrics(0).getMetricsList().stream().filter(m -> m.getName().equals(name)).findFirst();
  }

  private static NumberDataPoint point(ResourceMetrics resource, String name) {
    Metric metric = metric(resource, name).orElseThrow();
    List<NumberDataPoint> points = metric.hasGauge() ? metric.getGauge().getDataPointsList()
        : metric.getSum().getDataPointsList();
    return points.get(0);
  }

  private static long intValue(ResourceMetrics resource, String name) {
    NumberDataPoint point = point(resource, name);
    assertThat(point.getValueCase()).isEqualTo(NumberDataPoint.ValueCase.AS_INT);
    return point.getAsInt();
  }

  private static long nanos(String rfc3339) {
    Instant instant = Instant.parse(rfc3339);
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
