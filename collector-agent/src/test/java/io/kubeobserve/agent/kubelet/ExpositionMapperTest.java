package io.kubeobserve.agent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExpositionMapperTest {

  private static final Instant SCRAPED = Instant.parse("2023-09-06T16:15:45.500Z");
  private static final ScrapeOrigin CADVISOR = ScrapeOrigin.kubelet("lab", "datagen-1-24", "/metrics/cadvisor");

  private static ExportMetricsServiceRequest map(String text) throws Exception {
    return ExpositionMapper.toOtlp(ExpositionParser.parse(text), CADVISOR, SCRAPED);
  }

  private static Metric metric(ExportMetricsServiceRequest request, String name) {
    return request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList().stream()
        .filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void aCadvisorScrapeBecomesOneResourceKeepingNamesLabelsHelpAndTimestamps() throws Exception {
    ExportMetricsServiceRequest request = ExpositionMapper.toOtlp(
        ExpositionParser.parse(KubeletFixtures.bytes(KubeletFixtures.CADVISOR)), CADVISOR, SCRAPED);

    assertThat(request.getResourceMetricsList()).hasSize(1);
    ResourceMetrics resource = request.getResourceMetrics(0);
    assertThat(OtlpListing.attributes(resource.getResource().getAttributesList())).isEqualTo(
        "{k8s.cluster.name=\"lab\",k8s.node.name=\"datagen-1-24\",kube_observe.scrape.job=\"kubelet\","
            + "kube_observe.scrape.path=\"/metrics/cadvisor\"}");
    assertThat(resource.getScopeMetrics(0).getScope().getName()).isEqualTo(ExpositionMapper.SCOPE);
    assertThat(resource.getScopeMetrics(0).getMetricsList()).hasSize(67);

    Metric cpu = metric(request, "container_cpu_usage_seconds_total");
    assertThat(cpu.getSum().getIsMonotonic()).isTrue();
    assertThat(cpu.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(metric(request, "container_memory_failcnt").hasSum()).isTrue();

    Metric workingSet = metric(request, "container_memory_working_set_bytes");
    assertThat(workingSet.getDescription()).isEqualTo("Current working set in bytes.");
    NumberDataPoint etcd = workingSet.getGauge().getDataPointsList().stream()
        .filter(p -> OtlpValues.stringAttribute(p.getAttributesList(), "container").orElse("").equals("etcd"))
        .findFirst().orElseThrow();
    assertThat(etcd.getAttributesList()).extracting(kv -> kv.getKey())
        .containsExactly("container", "id", "image", "name", "namespace", "pod");
    assertThat(etcd.getAsDouble()).isEqualTo(32468992);
    assertThat(etcd.getTimeUnixNano()).isEqualTo(1694016932534L * 1_000_000L);
    assertThat(etcd.getStartTimeUnixNano()).isZero();

    NumberDataPoint memory = metric(request, "machine_memory_bytes").getGauge().getDataPoints(0);
    assertThat(memory.getTimeUnixNano()).as("a line without timestamp gets the scrape time")
        .isEqualTo(SCRAPED.toEpochMilli() * 1_000_000L);
    assertThat(OtlpCodec.decodeMetrics(OtlpCodec.encodeMetrics(request))).isEqualTo(request);

    Golden.assertJsonMatches("golden/kubelet/metrics-cadvisor.json", GoldenJson.of(request));
  }

  @Test
  void theResourceEndpointMapsCompletely() throws Exception {
    ExportMetricsServiceRequest request = ExpositionMapper.toOtlp(
        ExpositionParser.parse(KubeletFixtures.bytes(KubeletFixtures.RESOURCE)),
        ScrapeOrigin.kubelet("lab", "e2e-control-plane", "/metrics/resource"), SCRAPED);

    assertThat(request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList()).extracting(Metric::getName)
        .containsExactly("container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
            "node_cpu_usage_seconds_total", "node_memory_working_set_bytes", "pod_cpu_usage_seconds_total",
            "pod_memory_working_set_bytes", "scrape_error");
    Golden.assertJsonMatches("golden/kubelet/metrics-resource.json", GoldenJson.of(request));
  }

  @Test
  void untypedFamiliesBecomeGaugesMarkedUnknown() throws Exception {
    Metric metric = metric(map("# HELP legacy Something old.\nlegacy{a=\"1\"} 3\n"), "legacy");

    assertThat(metric.hasGauge()).isTrue();
    assertThat(metric.getMetadataList()).containsExactly(OtlpValues.string(Attributes.PROMETHEUS_TYPE, "unknown"));
    assertThat(metric.getDescription()).isEqualTo("Something old.");
  }

  @Test
  void aHistogramBecomesExplicitBucketsWithCountAndSum() throws Exception {
    Metric metric = metric(map("""
        # HELP kubelet_pod_start_duration_seconds [ALPHA] Duration in seconds.
        # TYPE kubelet_pod_start_duration_seconds histogram
        kubelet_pod_start_duration_seconds_bucket{node="n",le="0.5"} 2 1000
        kubelet_pod_start_duration_seconds_bucket{node="n",le="1"} 5 1000
        kubelet_pod_start_duration_seconds_bucket{node="n",le="+Inf"} 9 1000
        kubelet_pod_start_duration_seconds_sum{node="n"} 12.5 1000
        kubelet_pod_start_duration_seconds_count{node="n"} 9 2000
        kubelet_pod_start_duration_seconds_bucket{node="m",le="0.5"} 0
        kubelet_pod_start_duration_seconds_bucket{node="m",le="1"} 0
        kubelet_pod_start_duration_seconds_bucket{node="m",le="+Inf"} 1
        """), "kubelet_pod_start_duration_seconds");

    assertThat(metric.getHistogram().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    assertThat(metric.getHistogram().getDataPointsList()).hasSize(2);
    HistogramDataPoint n = metric.getHistogram().getDataPoints(0);
    assertThat(OtlpListing.attributes(n.getAttributesList())).isEqualTo("{node=\"n\"}");
    assertThat(n.getExplicitBoundsList()).containsExactly(0.5, 1.0);
    assertThat(n.getBucketCountsList()).containsExactly(2L, 3L, 4L);
    assertThat(n.getCount()).isEqualTo(9);
    assertThat(n.getSum()).isEqualTo(12.5);
    assertThat(n.getTimeUnixNano()).isEqualTo(2000L * 1_000_000L);
    HistogramDataPoint m = metric.getHistogram().getDataPoints(1);
    assertThat(m.getBucketCountsList()).containsExactly(0L, 0L, 1L);
    assertThat(m.getCount()).isEqualTo(1);
    assertThat(m.hasSum()).isFalse();
    assertThat(m.getTimeUnixNano()).isEqualTo(SCRAPED.toEpochMilli() * 1_000_000L);
  }

  @Test
  void aSummaryBecomesQuantilesWithCountAndSum() throws Exception {
    Metric metric = metric(map("""
        # TYPE go_gc_duration_seconds summary
        go_gc_duration_seconds{quantile="0.75"} 3e-05
        go_gc_duration_seconds{quantile="0"} 1e-05
        go_gc_duration_seconds_sum 0.004
        go_gc_duration_seconds_count 120
        """), "go_gc_duration_seconds");

    SummaryDataPoint point = metric.getSummary().getDataPoints(0);
    assertThat(point.getAttributesList()).isEmpty();
    assertThat(point.getQuantileValuesList()).extracting(SummaryDataPoint.ValueAtQuantile::getQuantile)
        .containsExactly(0.0, 0.75);
    assertThat(point.getQuantileValues(1).getValue()).isEqualTo(3e-05);
    assertThat(point.getCount()).isEqualTo(120);
    assertThat(point.getSum()).isEqualTo(0.004);
  }

  static Stream<Arguments> inconsistent() {
    String type = "# TYPE h histogram\n";
    return Stream.of(
        Arguments.of(named("no +Inf bucket", type + "h_bucket{le=\"1\"} 1\nh_count 1\n"), 2, "has no le=\"+Inf\" bucket"),
        Arguments.of(named("decreasing buckets", type + "h_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\n"), 3,
            "decrease"),
        Arguments.of(named("count differs", type + "h_bucket{le=\"+Inf\"} 2\nh_count 3\n"), 3,
            "_count 3 of histogram h{} differs from its +Inf bucket 2"),
        Arguments.of(named("fractional count", type + "h_bucket{le=\"+Inf\"} 2.5\n"), 2, "not a non-negative integer"),
        Arguments.of(named("same bound twice", type + "h_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\n"
            + "h_bucket{le=\"+Inf\"} 1\n"), 3, "second bucket le=\"1.0\""),
        Arguments.of(named("summary without count", "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 3\n"), 2,
            "summary s{} lacks its _count"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inconsistent")
  void anInconsistentHistogramOrSummaryFailsNamingItsLine(String text, int line, String message) {
    assertThatThrownBy(() -> map(text))
        .isInstanceOf(ExpositionFormatException.class)
        .hasMessageStartingWith("line " + line + ": ")
        .hasMessageContaining(message);
  }

  @Test
  void familiesWithoutSamplesAreLeftOut() throws Exception {
    ExportMetricsServiceRequest request = map("# HELP empty nothing\n# TYPE empty gauge\nx 1\n");

    assertThat(request.getResourceMetrics(0).getScopeMetrics(0).getMetricsList()).extracting(Metric::getName)
        .isEqualTo(List.of("x"));
  }
}
