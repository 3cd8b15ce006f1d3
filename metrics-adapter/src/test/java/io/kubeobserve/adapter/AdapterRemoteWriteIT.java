package io.kubeobserve.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.junit.WithPrometheus;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.prometheus.LocalPrometheus;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * Remote-write into the real Prometheus ({@code --web.enable-remote-write-receiver}): the queries
 * the scrape test asks answer the same. Samples keep their source timestamps here.
 */
@WithKafka
@WithPrometheus
class AdapterRemoteWriteIT {

  private static final double GROWTH_PER_SECOND = 0.01;

  @Test
  void prometheusReceivesTheKubeletSeriesByRemoteWrite(EmbeddedKafka kafka, LocalPrometheus prometheus)
      throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (RunningAdapter adapter = RunningAdapter.start(kafka, "remote-write-it", 2,
        "remoteWrite.url=" + prometheus.remoteWriteUrl(), "remoteWrite.maxSamplesPerSend=5000")) {
      ExportMetricsServiceRequest cadvisor = KubeletPayloads.cadvisor("remote-write-it");
      ExportMetricsServiceRequest summary = KubeletPayloads.summary(KubeletPayloads.SUMMARY_1_24, "remote-write-it");
      await().atMost(Duration.ofSeconds(30)).until(adapter.adapter::assigned);
      // 75 s of history, then as time goes, a scrape every second: counters grow linearly with their
      // source time, so rate() over a minute of it is the growth, up to the extrapolation Prometheus
      // applies at the window's end (the newest sample is up to a second old)
      Instant origin = Instant.now().minusSeconds(75);
      for (int second = 0; second <= 75; second++) {
        feed(adapter, cadvisor, summary, origin, origin.plusSeconds(second));
      }
      ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
      feeder.scheduleWithFixedDelay(() -> {
        try {
          feed(adapter, cadvisor, summary, origin, Instant.now());
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, 1, 1, TimeUnit.SECONDS);
      try {
        String etcd = "{cluster=\"remote-write-it\",namespace=\"kube-system\",pod=\"etcd-datagen-1-24\","
            + "container=\"etcd\"}";
        double perSecond = GROWTH_PER_SECOND * 4.686213; // the recorded container_cpu_usage_seconds_total of etcd
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(failure.get()).isNull();
          List<LocalPrometheus.Sample> workingSet = prometheus.query("container_memory_working_set_bytes" + etcd);
          assertThat(workingSet).singleElement().satisfies(sample -> {
            assertThat(sample.value()).isEqualTo(32468992);
            assertThat(sample.labels()).containsEntry("job", "kubelet")
                .containsEntry("metrics_path", "/metrics/cadvisor").containsEntry("node", "datagen-1-24");
          });
          assertThat(prometheus.query("k8s_node_memory_available_bytes{cluster=\"remote-write-it\","
              + "node=\"datagen-1-24\"}")).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(7246692352.0));
          assertThat(prometheus.query("rate(container_cpu_usage_seconds_total" + etcd + "[1m])")).singleElement()
              .satisfies(s -> assertThat(s.value()).isCloseTo(perSecond, Percentage.withPercentage(3)));
        });
      } finally {
        feeder.shutdownNow();
      }
      assertThat(adapter.opsMetrics()).containsPattern("kube_observe_adapter_remote_write_samples_sent_total\\{[^}]*} "
          + "[1-9]").contains("kube_observe_adapter_remote_write_lag_seconds{");
    }
  }

  private static void feed(RunningAdapter adapter, ExportMetricsServiceRequest cadvisor,
      ExportMetricsServiceRequest summary, Instant origin, Instant at) throws Exception {
    double increase = GROWTH_PER_SECOND * Duration.between(origin, at).toMillis() / 1000.0;
    adapter.produce(KubeletPayloads.NODE, KubeletPayloads.stamp(cadvisor, at, increase));
    adapter.produce(KubeletPayloads.NODE, KubeletPayloads.stamp(summary, at, increase));
  }
}
