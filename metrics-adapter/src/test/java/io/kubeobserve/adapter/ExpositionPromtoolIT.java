package io.kubeobserve.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.adapter.store.SeriesStore;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.devstack.prometheus.Promtool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check metrics} on the exposition of the recorded payloads: no parse error, and no
 * lint finding beyond those promtool reports for the kubelet's own payload. cAdvisor's names (such
 * as {@code container_memory_failcnt}, a counter without {@code _total}) are kept on purpose.
 */
class ExpositionPromtoolIT {

  @Test
  void promtoolFindsNothingTheKubeletsOwnPayloadDoesNotHave() throws Exception {
    String kubelet = KubeletPayloads.text(KubeletPayloads.CADVISOR);
    Promtool.Result own = Promtool.checkMetrics(kubelet);
    assertThat(own.errors()).isEmpty();

    SeriesStore store = new SeriesStore(new SeriesStore.Settings(Duration.ofDays(3650), 1_000_000, 1_000_000,
        1_000_000, "cluster"), Clock.systemUTC(), new SimpleMeterRegistry());
    store.ingest(OtlpCodec.encodeMetrics(KubeletPayloads.cadvisor("lab")), 0, 0, false);
    store.ingest(OtlpCodec.encodeMetrics(KubeletPayloads.summary(KubeletPayloads.SUMMARY_1_24, "lab")), 0, 0, false);
    store.ingest(OtlpCodec.encodeMetrics(KubeletPayloads.summary(KubeletPayloads.SUMMARY_1_35, "lab")), 1, 0, false);
    for (boolean timestamps : new boolean[] {false, true}) {
      ByteArrayOutputStream exposition = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(exposition, store.snapshot(timestamps));

      Promtool.Result ours = Promtool.checkMetrics(exposition.toString(StandardCharsets.UTF_8));

      assertThat(ours.errors()).isEmpty();
      assertThat(ours.valid()).isTrue();
      Set<String> allowed = new TreeSet<>(own.lintProblems());
      assertThat(new TreeSet<>(ours.lintProblems())).isSubsetOf(allowed);
    }
    assertThat(own.lintProblems()).as("the kubelet's own findings, which we keep")
        .contains("container_memory_failcnt counter metrics should have \"_total\" suffix");
  }
}
