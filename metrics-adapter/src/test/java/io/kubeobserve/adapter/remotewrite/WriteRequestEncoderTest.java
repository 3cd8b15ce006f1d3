package io.kubeobserve.adapter.remotewrite;

import io.kubeobserve.devstack.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.adapter.KubeletPayloads;
import io.kubeobserve.adapter.store.SeriesStore;
import io.kubeobserve.core.contract.OtlpCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xerial.snappy.Snappy;

class WriteRequestEncoderTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T12:00:00Z"));

  private List<RemoteWriteQueue.Entry> samplesOf(String exposition) throws Exception {
    SeriesStore store = new SeriesStore(new SeriesStore.Settings(Duration.ofMinutes(2), 100_000, 100_000, 100_000, ""),
        clock, meters);
    RemoteWriteQueue queue = new RemoteWriteQueue(100_000, meters);
    store.listener(queue);
    store.ingest(OtlpCodec.encodeMetrics(KubeletPayloads.exposition(exposition, "lab", "n1", "/metrics/cadvisor")), 0,
        clock.millis(), false);
    List<RemoteWriteQueue.Entry> entries = new ArrayList<>();
    queue.drainTo(entries, 100_000, 0);
    return entries;
  }

  @Test
  void eachSampleBecomesTheSeriesPrometheusWouldHaveScraped() throws Exception {
    List<RemoteWriteQueue.Entry> entries = samplesOf("""
        # TYPE container_cpu_usage_seconds_total counter
        container_cpu_usage_seconds_total{container="",cpu="total",id="/",Zone="a"} 89.211312 1694016933154
        # TYPE cadvisor_version_info gauge
        cadvisor_version_info{kernelVersion="5.15"} 1 1694016933000
        # TYPE h histogram
        h_bucket{le="0.005"} 1 1694016933000
        h_bucket{le="1e+06"} 2 1694016933000
        h_bucket{le="+Inf"} 3 1694016933000
        h_sum 7.5 1694016933000
        h_count 3 1694016933000
        """);

    List<WriteRequests.TimeSeries> series = WriteRequests.decode(new WriteRequestEncoder().encode(entries));

    assertThat(series).extracting(WriteRequests.TimeSeries::name).containsExactly("container_cpu_usage_seconds_total",
        "cadvisor_version_info", "h_bucket", "h_bucket", "h_bucket", "h_count", "h_sum");
    WriteRequests.TimeSeries cpu = series.get(0);
    assertThat(cpu.labels()).extracting(WriteRequests.Label::name).as("sorted by name, empty values left out")
        .containsExactly("Zone", "__name__", "cpu", "id", "job", "metrics_path", "node");
    assertThat(cpu.samples()).containsExactly(new WriteRequests.Sample(89.211312, 1694016933154L));
    assertThat(series.get(1).samples()).containsExactly(new WriteRequests.Sample(1, 1694016933000L));
    assertThat(series.subList(2, 5)).extracting(s -> s.label("le")).containsExactly("0.005", "1e+06", "+Inf");
    assertThat(series.subList(2, 7)).extracting(s -> s.samples().get(0).value()).containsExactly(1.0, 2.0, 3.0, 3.0, 7.5);
  }

  @Test
  void aForgottenSeriesGetsAStalenessMarker() throws Exception {
    List<RemoteWriteQueue.Entry> entries = samplesOf("up 1 1694016933000\n");
    RemoteWriteQueue.Entry sample = entries.get(0);
    RemoteWriteQueue.Entry stale = new RemoteWriteQueue.Entry(sample.series(), RemoteWriteQueue.STALE_NAN, null,
        1694016999000L, true);

    List<WriteRequests.TimeSeries> series = WriteRequests.decode(new WriteRequestEncoder().encode(List.of(stale)));

    assertThat(Double.doubleToRawLongBits(series.get(0).samples().get(0).value())).isEqualTo(0x7ff0000000000002L);
    assertThat(series.get(0).samples().get(0).timestamp()).isEqualTo(1694016999000L);
  }

  @Test
  void theRequestCompressesWithSnappyBlockFormat() throws Exception {
    byte[] request = new WriteRequestEncoder().encode(samplesOf(KubeletPayloads.text(KubeletPayloads.CADVISOR)));

    byte[] compressed = Snappy.compress(request);

    assertThat(Snappy.uncompress(compressed)).isEqualTo(request);
    assertThat(WriteRequests.decode(request)).hasSize(3181);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"1, 1", "0.005, 0.005", "0.0001, 0.0001", "0.00001, 1e-05", "100000, 100000", "1000000, 1e+06",
      "2500000, 2.5e+06", "0.25, 0.25", "0.999, 0.999", "-3, -3", "Infinity, +Inf", "0, 0"})
  void floatsAreFormattedAsGoFormatsThem(double value, String expected) {
    assertThat(WriteRequestEncoder.format(value)).isEqualTo(expected);
  }
}
