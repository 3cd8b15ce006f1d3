package io.kubeobserve.adapter.store;

import io.kubeobserve.devstack.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeobserve.adapter.KubeletPayloads;
import io.kubeobserve.agent.kubelet.ExpositionParser;
import io.kubeobserve.agent.kubelet.MetricFamily;
import io.kubeobserve.agent.kubelet.Sample;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordDecodeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SeriesStoreTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private SeriesStore store(int maxSeries, int perMetric, int perNamespace) {
    return new SeriesStore(new SeriesStore.Settings(Duration.ofMinutes(2), maxSeries, perMetric, perNamespace, ""),
        clock, meters);
  }

  private SeriesStore store() {
    return store(1_000_000, 1_000_000, 1_000_000);
  }

  private static byte[] encode(ExportMetricsServiceRequest request) {
    return OtlpCodec.encodeMetrics(request);
  }

  private SeriesStore.Outcome ingest(SeriesStore store, ExportMetricsServiceRequest request) throws Exception {
    return store.ingest(encode(request), 0, clock.millis(), false);
  }

  static String text(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, snapshots);
    return out.toString(StandardCharsets.UTF_8);
  }

  private double counter(String name, String tag) {
    var counter = meters.find(name).tag("reason", tag).counter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * Every sample of the recorded cAdvisor endpoint comes out of the exposition with its name,
   * labels and value, plus node, job and metrics_path.
   */
  @Test
  void theRecordedCadvisorEndpointIsExposedSampleForSample() throws Exception {
    SeriesStore store = store();

    SeriesStore.Outcome outcome = ingest(store, KubeletPayloads.cadvisor("lab"));

    assertThat(outcome).isEqualTo(new SeriesStore.Outcome(3181, 3181, 0));
    assertThat(store.size()).isEqualTo(3181);
    Map<String, Double> expected = new HashMap<>();
    for (MetricFamily family : ExpositionParser.parse(KubeletPayloads.text(KubeletPayloads.CADVISOR)).families()) {
      for (Sample sample : family.samples()) {
        Map<String, String> labels = new TreeMap<>(sample.labels());
        labels.put("node", KubeletPayloads.NODE);
        labels.put("job", "kubelet");
        labels.put("metrics_path", "/metrics/cadvisor");
        expected.put(sample.name() + labels, sample.value());
      }
    }
    String exposition = text(store.snapshot(false));
    Map<String, Double> exposed = new HashMap<>();
    for (MetricFamily family : ExpositionParser.parse(exposition).families()) {
      for (Sample sample : family.samples()) {
        exposed.put(sample.name() + new TreeMap<>(sample.labels()), sample.value());
        assertThat(sample.timestampMillis()).isEmpty();
      }
    }
    assertThat(exposed).isEqualTo(expected);
    assertThat(exposition)
        .contains("# TYPE container_memory_failcnt untyped\n")
        .contains("# TYPE container_fs_inodes_total counter\n")
        .contains("# TYPE cadvisor_version_info gauge\n")
        .contains("# HELP container_memory_working_set_bytes Current working set in bytes.\n")
        .contains("container_memory_working_set_bytes{container=\"etcd\",id=\"/kubepods/burstable/"
            + "pod322d4c35364c41fd12af24fb73e4e208/c19bf483bc27aa42da7e85f3c8065672b8a2ce3a43f8554613ebcf69acb3a29d\","
            + "image=\"registry.k8s.io/etcd:3.5.6-0\",job=\"kubelet\",metrics_path=\"/metrics/cadvisor\","
            + "name=\"c19bf483bc27aa42da7e85f3c8065672b8a2ce3a43f8554613ebcf69acb3a29d\",namespace=\"kube-system\","
            + "node=\"datagen-1-24\",pod=\"etcd-datagen-1-24\"} 3.2468992E7\n");
  }

  @Test
  void sourceTimestampsAreExposedWhenAskedFor() throws Exception {
    SeriesStore store = store();
    ingest(store, KubeletPayloads.cadvisor("lab"));

    String exposition = text(store.snapshot(true));

    assertThat(exposition).contains("pod=\"etcd-datagen-1-24\"} 3.2468992E7 1694016932534\n");
    ByteArrayOutputStream openMetrics = new ByteArrayOutputStream();
    OpenMetricsTextFormatWriter.create().write(openMetrics, store.snapshot(false));
    assertThat(openMetrics.toString(StandardCharsets.UTF_8))
        .contains("# TYPE cadvisor_version info\n", "# TYPE container_memory_failcnt unknown\n")
        .endsWith("# EOF\n");
  }

  @Test
  void statsSummaryMetricsGetTheStandardPrometheusNames() throws Exception {
    SeriesStore store = store();

    ingest(store, KubeletPayloads.summary(KubeletPayloads.SUMMARY_1_24, "lab"));

    String exposition = text(store.snapshot(false));
    assertThat(exposition)
        .contains("# TYPE k8s_node_memory_available_bytes gauge\n")
        .contains("k8s_node_memory_available_bytes{k8s_node_name=\"datagen-1-24\",node=\"datagen-1-24\"} 7.246692352E9\n")
        .contains("# TYPE k8s_node_cpu_time_seconds_total counter\n")
        .contains("k8s_node_cpu_time_seconds_total{k8s_node_name=\"datagen-1-24\",node=\"datagen-1-24\"} 89.211312\n")
        .contains("# TYPE k8s_node_network_io_bytes_total counter\n")
        .contains("k8s_node_network_io_bytes_total{direction=\"receive\",interface=\"eth0\",k8s_node_name=\"datagen-1-24\","
            + "node=\"datagen-1-24\"} 9.72132193E8\n")
        .contains("k8s_node_memory_page_faults_ratio{")
        .contains("# TYPE k8s_node_cpu_usage gauge\n")
        .contains("container_memory_working_set_bytes{k8s_container_name=\"etcd\",k8s_namespace_name=\"kube-system\","
            + "k8s_node_name=\"datagen-1-24\",k8s_pod_name=\"etcd-datagen-1-24\","
            + "k8s_pod_uid=\"322d4c35364c41fd12af24fb73e4e208\",node=\"datagen-1-24\"} 3.2468992E7\n")
        .contains("k8s_volume_available_bytes{k8s_namespace_name=")
        .doesNotContain("k8s_cluster_name");
  }

  @Test
  void aClusterLabelCarriesTheClusterNameWhenConfigured() throws Exception {
    SeriesStore store = new SeriesStore(new SeriesStore.Settings(Duration.ofMinutes(2), 100_000, 100_000, 100_000,
        "cluster"), clock, meters);

    ingest(store, KubeletPayloads.cadvisor("prod-eu"));

    assertThat(text(store.snapshot(false))).contains("machine_memory_bytes{boot_id=\"29e66463-d369-4954-aa34-d4ba0accee58\","
        + "cluster=\"prod-eu\",job=\"kubelet\",machine_id=\"f3cc4480aba94031beacb2540ef50884\","
        + "metrics_path=\"/metrics/cadvisor\",node=\"datagen-1-24\",system_uuid=\"f3cc4480aba94031beacb2540ef50884\"} "
        + "8.232828928E9\n");
  }

  @Test
  void aRepeatedRecordRefreshesItsSeriesWithoutChangingThem() throws Exception {
    SeriesStore store = store();
    ingest(store, KubeletPayloads.cadvisor("lab"));
    clock.advance(Duration.ofSeconds(90));

    SeriesStore.Outcome again = ingest(store, KubeletPayloads.cadvisor("lab"));
    clock.advance(Duration.ofSeconds(60));

    assertThat(again).isEqualTo(new SeriesStore.Outcome(3181, 0, 0));
    assertThat(store.removeStale()).isZero();
    assertThat(store.size()).isEqualTo(3181);
  }

  @Test
  void olderSamplesAreIgnored() throws Exception {
    SeriesStore store = store();
    ExportMetricsServiceRequest recorded = KubeletPayloads.cadvisor("lab");
    ingest(store, KubeletPayloads.rebase(recorded, KubeletPayloads.RECORDED.plusSeconds(10), 0.5));

    SeriesStore.Outcome older = ingest(store, recorded);

    assertThat(older.stored()).isZero();
    assertThat(counter("kube_observe.adapter.samples.rejected", "out_of_order")).isEqualTo(3181);
  }

  /** Builds a one-counter request of the given start and time (seconds) and value. */
  private static ExportMetricsServiceRequest counterRequest(String pod, long startSeconds, long timeSeconds,
      double value) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, "lab"))
            .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, "n1"))
            .addAttributes(OtlpValues.string(Attributes.KUBE_OBSERVE_SCRAPE_JOB, "kubelet"))
            .addAttributes(OtlpValues.string(Attributes.KUBE_OBSERVE_SCRAPE_PATH, "/metrics/cadvisor")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
            .setName("container_cpu_usage_seconds_total")
            .setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(NumberDataPoint.newBuilder()
                    .addAttributes(OtlpValues.string("namespace", "shop"))
                    .addAttributes(OtlpValues.string("pod", pod))
                    .setStartTimeUnixNano(startSeconds * 1_000_000_000L)
                    .setTimeUnixNano(timeSeconds * 1_000_000_000L)
                    .setAsDouble(value)))))).build();
  }

  private static double exposedValue(SeriesStore store, String pod) throws IOException {
    for (String line : text(store.snapshot(false)).split("\n")) {
      if (line.contains("pod=\"" + pod + "\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no series of pod " + pod);
  }

  @Test
  void aCounterGoesBackOnlyOnARealReset() throws Exception {
    SeriesStore store = store();
    ingest(store, counterRequest("unknown-start", 0, 100, 50));
    ingest(store, counterRequest("same-start", 10, 100, 50));
    ingest(store, counterRequest("new-start", 10, 100, 50));

    ingest(store, counterRequest("unknown-start", 0, 110, 3));
    ingest(store, counterRequest("same-start", 10, 110, 3));
    ingest(store, counterRequest("new-start", 105, 110, 3));

    assertThat(exposedValue(store, "unknown-start")).as("no start time: a lower value is a reset").isEqualTo(3);
    assertThat(exposedValue(store, "same-start")).as("same start time: not a reset").isEqualTo(50);
    assertThat(exposedValue(store, "new-start")).as("a new start time: a reset").isEqualTo(3);
    assertThat(meters.find("kube_observe.adapter.counter.resets").counter().count()).isEqualTo(2);
    assertThat(counter("kube_observe.adapter.samples.rejected", "counter_regression")).isEqualTo(1);

    ingest(store, counterRequest("same-start", 10, 120, 60));
    assertThat(exposedValue(store, "same-start")).isEqualTo(60);
  }

  @Test
  void aPodGoneAtTheSourceStopsBeingExposedAfterTheStalenessTimeout() throws Exception {
    SeriesStore store = store();
    ExportMetricsServiceRequest recorded = KubeletPayloads.cadvisor("lab");
    ingest(store, recorded);
    int etcdSeries = (int) text(store.snapshot(false)).lines().filter(l -> l.contains("pod=\"etcd-datagen-1-24\"")).count();
    assertThat(etcdSeries).isGreaterThan(20);

    ExportMetricsServiceRequest withoutEtcd = KubeletPayloads.without(recorded, attributes ->
        OtlpValues.stringAttribute(attributes, "pod").orElse("").equals("etcd-datagen-1-24"));
    for (int i = 1; i <= 5; i++) {
      clock.advance(Duration.ofSeconds(30));
      ingest(store, KubeletPayloads.rebase(withoutEtcd, KubeletPayloads.RECORDED.plusSeconds(30L * i), 0));
    }

    String exposition = text(store.snapshot(false));
    assertThat(exposition).doesNotContain("etcd-datagen-1-24").contains("kube-proxy-kjvgg");
    assertThat(store.size()).isEqualTo(3181);
    assertThat(store.removeStale()).isEqualTo(etcdSeries);
    assertThat(store.size()).isEqualTo(3181 - etcdSeries);
    assertThat(meters.find("kube_observe.adapter.series.removed").tag("reason", "stale").counter().count())
        .isEqualTo(etcdSeries);
  }

  @Test
  void aPointFlaggedWithoutValueEndsItsSeriesAtOnce() throws Exception {
    SeriesStore store = store();
    ingest(store, counterRequest("p", 0, 100, 5));
    ExportMetricsServiceRequest ended = counterRequest("p", 0, 110, 0);
    ended = ended.toBuilder().setResourceMetrics(0, ended.getResourceMetrics(0).toBuilder().setScopeMetrics(0,
        ended.getResourceMetrics(0).getScopeMetrics(0).toBuilder().setMetrics(0,
            ended.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).toBuilder().setSum(
                ended.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().toBuilder().setDataPoints(0,
                    ended.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().getDataPoints(0).toBuilder()
                        .clearAsDouble().setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE)))))).build();

    ingest(store, ended);

    assertThat(store.size()).isZero();
    assertThat(text(store.snapshot(false))).isEmpty();
  }

  @Test
  void theCardinalityGuardRefusesSeriesBeyondItsLimitsAndCountsThem() throws Exception {
    SeriesStore perMetric = store(1_000_000, 10, 1_000_000);
    ingest(perMetric, KubeletPayloads.cadvisor("lab"));
    assertThat(text(perMetric.snapshot(false)).lines().filter(l -> l.startsWith("container_blkio_device_usage_total{")))
        .hasSize(10);
    assertThat(meters.find("kube_observe.adapter.series.dropped").tag("reason", "metric_limit").counter().count())
        .isEqualTo(3181 - perMetric.size());

    SeriesStore perNamespace = store(1_000_000, 1_000_000, 100);
    ingest(perNamespace, KubeletPayloads.cadvisor("lab"));
    assertThat(text(perNamespace.snapshot(false)).lines().filter(l -> l.contains("namespace=\"kube-system\"")))
        .hasSize(100);
    assertThat(meters.find("kube_observe.adapter.series.dropped").tag("reason", "namespace_limit").counter().count())
        .isPositive();

    SeriesStore total = store(500, 1_000_000, 1_000_000);
    SeriesStore.Outcome outcome = ingest(total, KubeletPayloads.cadvisor("lab"));
    assertThat(total.size()).isEqualTo(500);
    assertThat(outcome.rejected()).isEqualTo(3181 - 500);
    SeriesStore.Outcome again = ingest(total, KubeletPayloads.rebase(KubeletPayloads.cadvisor("lab"),
        KubeletPayloads.RECORDED.plusSeconds(30), 0.1));
    assertThat(again.rejected()).as("refused series cost no new work").isEqualTo(3181 - 500);
    assertThat(meters.find("kube_observe.adapter.series.dropped").tag("reason", "total_limit").counter().count())
        .isEqualTo(3181 - 500);
  }

  @Test
  void theSameLabelsInAnotherAttributeOrderAreTheSameSeries() throws Exception {
    SeriesStore store = store();
    ExportMetricsServiceRequest forward = counterRequest("p", 0, 100, 5);
    ingest(store, forward);
    NumberDataPoint point = forward.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().getDataPoints(0);
    List<KeyValue> reversed = List.of(point.getAttributes(1), point.getAttributes(0));
    ExportMetricsServiceRequest backward = counterRequest("p", 0, 110, 7);
    backward = backward.toBuilder().setResourceMetrics(0, backward.getResourceMetrics(0).toBuilder().setScopeMetrics(0,
        backward.getResourceMetrics(0).getScopeMetrics(0).toBuilder().setMetrics(0,
            backward.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).toBuilder().setSum(
                backward.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().toBuilder().setDataPoints(0,
                    point.toBuilder().clearAttributes().addAllAttributes(reversed).setTimeUnixNano(110_000_000_000L)
                        .setAsDouble(7)))))).build();

    ingest(store, backward);

    assertThat(store.size()).isEqualTo(1);
    assertThat(exposedValue(store, "p")).isEqualTo(7);
  }

  @Test
  void aRecordThatDoesNotDecodeChangesNothing() throws Exception {
    SeriesStore store = store();
    ingest(store, counterRequest("before", 0, 100, 5));
    byte[] valid = encode(KubeletPayloads.cadvisor("lab"));
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 1000);

    assertThatThrownBy(() -> store.ingest(truncated, 0, clock.millis(), false))
        .isInstanceOf(RecordDecodeException.class).hasMessageStartingWith("not an OTLP ExportMetricsServiceRequest: ");
    assertThatThrownBy(() -> store.ingest("not protobuf at all {}".getBytes(StandardCharsets.UTF_8), 0,
        clock.millis(), false)).isInstanceOf(RecordDecodeException.class);
    assertThatThrownBy(() -> store.ingest(null, 0, clock.millis(), false))
        .isInstanceOf(RecordDecodeException.class).hasMessageContaining("tombstone");

    assertThat(store.size()).isEqualTo(1);
    assertThat(text(store.snapshot(false)).lines().filter(l -> !l.startsWith("#"))).hasSize(1);
  }

  @Test
  void theSeriesOfRevokedPartitionsAreForgotten() throws Exception {
    SeriesStore store = store();
    store.ingest(encode(KubeletPayloads.cadvisor("lab")), 3, clock.millis(), false);
    store.ingest(encode(counterRequest("p", 0, 100, 5)), 4, clock.millis(), false);

    assertThat(store.removePartitions(Set.of(3))).isEqualTo(3181);

    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void histogramsAndSummariesAreExposedWithTheirBucketsAndQuantiles() throws Exception {
    SeriesStore store = store();
    ingest(store, KubeletPayloads.exposition("""
        # HELP kubelet_pod_start_duration_seconds [ALPHA] Duration in seconds.
        # TYPE kubelet_pod_start_duration_seconds histogram
        kubelet_pod_start_duration_seconds_bucket{le="0.5"} 2
        kubelet_pod_start_duration_seconds_bucket{le="1"} 5
        kubelet_pod_start_duration_seconds_bucket{le="+Inf"} 9
        kubelet_pod_start_duration_seconds_sum 12.5
        kubelet_pod_start_duration_seconds_count 9
        # TYPE go_gc_duration_seconds summary
        go_gc_duration_seconds{quantile="0"} 1e-05
        go_gc_duration_seconds{quantile="0.75"} 3e-05
        go_gc_duration_seconds_sum 0.004
        go_gc_duration_seconds_count 120
        """, "lab", "n1", "/metrics"));

    String labels = "job=\"kubelet\",metrics_path=\"/metrics\",node=\"n1\"";
    assertThat(text(store.snapshot(false))).contains(
        "kubelet_pod_start_duration_seconds_bucket{" + labels + ",le=\"0.5\"} 2\n",
        "kubelet_pod_start_duration_seconds_bucket{" + labels + ",le=\"1.0\"} 5\n",
        "kubelet_pod_start_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 9\n",
        "kubelet_pod_start_duration_seconds_count{" + labels + "} 9\n",
        "kubelet_pod_start_duration_seconds_sum{" + labels + "} 12.5\n",
        "go_gc_duration_seconds{" + labels + ",quantile=\"0.75\"} 3.0E-5\n",
        "go_gc_duration_seconds_count{" + labels + "} 120\n");
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void metricsPrometheusCannotHoldAreRejectedAndCounted() throws Exception {
    SeriesStore store = store();
    ExportMetricsServiceRequest delta = counterRequest("p", 0, 100, 5);
    delta = delta.toBuilder().setResourceMetrics(0, delta.getResourceMetrics(0).toBuilder().setScopeMetrics(0,
        delta.getResourceMetrics(0).getScopeMetrics(0).toBuilder().setMetrics(0,
            delta.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).toBuilder().setSum(
                delta.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().toBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA))))).build();

    SeriesStore.Outcome outcome = ingest(store, delta);

    assertThat(outcome).isEqualTo(new SeriesStore.Outcome(1, 0, 1));
    assertThat(counter("kube_observe.adapter.samples.rejected", "unsupported")).isEqualTo(1);
    assertThat(meters.find("kube_observe.adapter.samples.in").counter().count()).isEqualTo(1);
  }
}
