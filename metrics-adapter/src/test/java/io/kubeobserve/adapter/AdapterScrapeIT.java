package io.kubeobserve.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.agent.kubelet.ExpositionParser;
import io.kubeobserve.agent.kubelet.MetricFamily;
import io.kubeobserve.agent.kubelet.Sample;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.junit.WithPrometheus;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.prometheus.LocalPrometheus;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The real Prometheus scrapes the adapter fed with the recorded kubelet payloads, with the scrape
 * configuration the README documents ({@code honor_labels: true}).
 */
@WithKafka
@WithPrometheus
class AdapterScrapeIT {

  /** The fed counters grow by this fraction of their recorded value per second. */
  private static final double GROWTH_PER_SECOND = 0.01;
  /** The etcd pod's label in cAdvisor series (not {@code k8s_pod_name} of the stats summary's). */
  private static final String ETCD = "[{,]pod=\"etcd-datagen-1-24\"";

  private static double recorded(String metric, Map<String, String> labels) throws Exception {
    for (MetricFamily family : ExpositionParser.parse(KubeletPayloads.text(KubeletPayloads.CADVISOR)).families()) {
      for (Sample sample : family.samples()) {
        if (sample.name().equals(metric) && sample.labels().entrySet().containsAll(labels.entrySet())) {
          return sample.value();
        }
      }
    }
    throw new AssertionError("no recorded " + metric + labels);
  }

  /** Feeds the node's payloads every 250 ms, rebased to now, counters growing linearly with time. */
  private static ScheduledExecutorService feed(RunningAdapter adapter, AtomicReference<ExportMetricsServiceRequest> cadvisor,
      AtomicReference<Double> growth, AtomicReference<Throwable> failure) {
    ExportMetricsServiceRequest summary = KubeletPayloads.summary(KubeletPayloads.SUMMARY_1_24, adapter.name);
    Instant start = Instant.now();
    ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    feeder.scheduleWithFixedDelay(() -> {
      try {
        Instant now = Instant.now();
        double increase = growth.get() != null ? growth.get()
            : GROWTH_PER_SECOND * Duration.between(start, now).toMillis() / 1000.0;
        adapter.produce(KubeletPayloads.NODE, KubeletPayloads.rebase(cadvisor.get(), now, increase));
        adapter.produce(KubeletPayloads.NODE, KubeletPayloads.rebase(summary, now, increase));
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    }, 0, 250, TimeUnit.MILLISECONDS);
    return feeder;
  }

  private static double single(LocalPrometheus prometheus, String query) {
    List<LocalPrometheus.Sample> samples = prometheus.query(query);
    assertThat(samples).as(query).hasSize(1);
    return samples.get(0).value();
  }

  @Test
  void prometheusReadsTheKubeletSeriesWithTheirNamesLabelsAndValues(EmbeddedKafka kafka, LocalPrometheus prometheus)
      throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (RunningAdapter adapter = RunningAdapter.start(kafka, "scrape-it", 3)) {
      ScheduledExecutorService feeder = feed(adapter, new AtomicReference<>(KubeletPayloads.cadvisor("scrape-it")),
          new AtomicReference<>(), failure);
      try {
        prometheus.addScrapeJob("metrics-adapter-scrape-it", adapter.hostPort(), "/metrics", true);
        prometheus.awaitTargetUp("metrics-adapter-scrape-it", Duration.ofSeconds(30));

        String etcd = "{cluster=\"scrape-it\",namespace=\"kube-system\",pod=\"etcd-datagen-1-24\",container=\"etcd\"}";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          assertThat(failure.get()).isNull();
          List<LocalPrometheus.Sample> workingSet = prometheus.query("container_memory_working_set_bytes" + etcd);
          assertThat(workingSet).singleElement().satisfies(sample -> {
            assertThat(sample.value()).isEqualTo(32468992);
            assertThat(sample.labels()).containsEntry("job", "kubelet").containsEntry("metrics_path", "/metrics/cadvisor")
                .containsEntry("node", "datagen-1-24").containsEntry("image", "registry.k8s.io/etcd:3.5.6-0");
          });
          // a kubernetes-mixin style selector finds it too
          assertThat(single(prometheus, "sum by (namespace, pod, container) (container_memory_working_set_bytes"
              + "{job=\"kubelet\", metrics_path=\"/metrics/cadvisor\", cluster=\"scrape-it\", container=\"etcd\", "
              + "image!=\"\"})")).isEqualTo(32468992);
          assertThat(single(prometheus, "k8s_node_memory_available_bytes{cluster=\"scrape-it\",node=\"datagen-1-24\"}"))
              .isEqualTo(7246692352.0);
          assertThat(single(prometheus, "container_memory_failcnt" + etcd)).isZero();
        });

        // rate over a full minute of scrapes equals the growth we fed, within the jitter between our
        // feeding (every 250 ms) and Prometheus' scrapes (every second)
        double perSecond = GROWTH_PER_SECOND * recorded("container_cpu_usage_seconds_total",
            Map.of("container", "etcd", "pod", "etcd-datagen-1-24"));
        String cpu = "container_cpu_usage_seconds_total" + etcd;
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
          assertThat(failure.get()).isNull();
          assertThat(single(prometheus, "count_over_time(" + cpu + "[1m])")).isGreaterThanOrEqualTo(58);
          assertThat(single(prometheus, "rate(" + cpu + "[1m])")).isCloseTo(perSecond,
              org.assertj.core.data.Percentage.withPercentage(3));
        });
      } finally {
        feeder.shutdownNow();
        prometheus.removeScrapeJob("metrics-adapter-scrape-it");
      }
    }
  }

  @Test
  void theExpositionIsNegotiatedAndCarriesTheAdaptersMeters(EmbeddedKafka kafka) throws Exception {
    try (RunningAdapter adapter = RunningAdapter.start(kafka, "negotiate-it", 1)) {
      adapter.produce(KubeletPayloads.NODE, KubeletPayloads.rebase(KubeletPayloads.cadvisor("negotiate-it"),
          Instant.now(), 0));

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(adapter.scrape(null).body()).containsPattern(ETCD));
      HttpResponse<String> text = adapter.scrape("text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
      HttpResponse<String> openMetrics = adapter.scrape("application/openmetrics-text;version=1.0.0,"
          + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

      assertThat(text.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(text.body()).contains("# TYPE container_memory_failcnt untyped\n").doesNotContain("# EOF");
      assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/openmetrics-text; version=1.0.0");
      assertThat(openMetrics.body()).contains("# TYPE container_memory_failcnt unknown\n").endsWith("# EOF\n");
      assertThat(adapter.opsMetrics())
          .contains("kube_observe_adapter_samples_in_total{", "kube_observe_adapter_series_live{",
              "kube_observe_adapter_scrape_render_seconds_count{", "kube_observe_adapter_series_dropped_total{",
              "kube_observe_adapter_records_total{");
      assertThat(adapter.opsMetrics()).containsPattern("kube_observe_adapter_series_live\\{[^}]*} 3181");
    }
  }

  @Test
  void aDeletedPodDisappearsAfterTheStalenessTimeAndACounterResetIsExposed(EmbeddedKafka kafka,
      LocalPrometheus prometheus) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (RunningAdapter adapter = RunningAdapter.start(kafka, "stale-it", 1, "staleness.timeout=4s")) {
      ExportMetricsServiceRequest recorded = KubeletPayloads.cadvisor("stale-it");
      AtomicReference<ExportMetricsServiceRequest> cadvisor = new AtomicReference<>(recorded);
      AtomicReference<Double> growth = new AtomicReference<>(0.0);
      ScheduledExecutorService feeder = feed(adapter, cadvisor, growth, failure);
      try {
        prometheus.addScrapeJob("metrics-adapter-stale-it", adapter.hostPort(), "/metrics", true);
        prometheus.awaitTargetUp("metrics-adapter-stale-it", Duration.ofSeconds(30));
        String etcd = "container_memory_working_set_bytes{cluster=\"stale-it\",pod=\"etcd-datagen-1-24\"}";
        String proxyCpu = "container_cpu_usage_seconds_total{cluster=\"stale-it\",pod=\"kube-proxy-kjvgg\","
            + "container=\"kube-proxy\"}";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          assertThat(prometheus.query(etcd)).hasSize(3); // the pod's cgroup, its pause container and etcd
          assertThat(single(prometheus, "count_over_time(" + proxyCpu + "[1m])")).isGreaterThanOrEqualTo(3);
        });

        // the pod is deleted: the kubelet stops reporting it
        cadvisor.set(KubeletPayloads.without(recorded, attributes ->
            OtlpValues.stringAttribute(attributes, "pod").orElse("").equals("etcd-datagen-1-24")));
        long deleted = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(adapter.scrape(null).body()).doesNotContainPattern(ETCD));
        assertThat(Duration.ofNanos(System.nanoTime() - deleted)).as("exposed until the staleness timeout")
            .isGreaterThan(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          assertThat(prometheus.query(etcd)).isEmpty();
          assertThat(prometheus.query("container_memory_working_set_bytes{cluster=\"stale-it\","
              + "pod=\"kube-proxy-kjvgg\"}")).isNotEmpty();
        });

        // the container restarts: its counters start again lower
        growth.set(-0.5);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(single(prometheus, "resets(" + proxyCpu + "[1m])")).isEqualTo(1));
        assertThat(failure.get()).isNull();
      } finally {
        feeder.shutdownNow();
        prometheus.removeScrapeJob("metrics-adapter-stale-it");
      }
    }
  }
}
