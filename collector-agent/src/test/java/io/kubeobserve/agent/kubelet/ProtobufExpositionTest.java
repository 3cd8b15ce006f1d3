package io.kubeobserve.agent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_31_1.Metrics;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The protobuf exposition maps to the same OTLP as the same metrics in text. */
class ProtobufExpositionTest {

  private static final Instant SCRAPED = Instant.parse("2023-09-06T16:15:45Z");
  private static final ScrapeOrigin ORIGIN = ScrapeOrigin.kubelet("lab", "n", "/metrics");

  private static Metrics.LabelPair label(String name, String value) {
    return Metrics.LabelPair.newBuilder().setName(name).setValue(value).build();
  }

  @Test
  void countersGaugesHistogramsAndSummariesMapAsTheirTextDoes() throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Metrics.MetricFamily.newBuilder().setName("kubelet_evictions").setHelp("[ALPHA] Cumulative evictions.")
        .setType(Metrics.MetricType.COUNTER).addMetric(Metrics.Metric.newBuilder()
            .addLabel(label("eviction_signal", "memory.available"))
            .setCounter(Metrics.Counter.newBuilder().setValue(2)).setTimestampMs(1000))
        .build().writeDelimitedTo(body);
    Metrics.MetricFamily.newBuilder().setName("kubelet_node_name").setHelp("The node's name.")
        .setType(Metrics.MetricType.GAUGE).addMetric(Metrics.Metric.newBuilder()
            .addLabel(label("node", "Grüße \"n\"")).setGauge(Metrics.Gauge.newBuilder().setValue(1)))
        .build().writeDelimitedTo(body);
    Metrics.MetricFamily.newBuilder().setName("kubelet_pod_start_duration_seconds").setHelp("Duration.")
        .setType(Metrics.MetricType.HISTOGRAM).addMetric(Metrics.Metric.newBuilder()
            .setHistogram(Metrics.Histogram.newBuilder().setSampleCount(9).setSampleSum(12.5)
                .addBucket(Metrics.Bucket.newBuilder().setUpperBound(0.5).setCumulativeCount(2))
                .addBucket(Metrics.Bucket.newBuilder().setUpperBound(1).setCumulativeCount(5))))
        .build().writeDelimitedTo(body);
    Metrics.MetricFamily.newBuilder().setName("go_gc_duration_seconds").setHelp("GC pauses.")
        .setType(Metrics.MetricType.SUMMARY).addMetric(Metrics.Metric.newBuilder()
            .setSummary(Metrics.Summary.newBuilder().setSampleCount(120).setSampleSum(0.004)
                .addQuantile(Metrics.Quantile.newBuilder().setQuantile(0).setValue(1e-05))
                .addQuantile(Metrics.Quantile.newBuilder().setQuantile(0.75).setValue(3e-05))))
        .build().writeDelimitedTo(body);
    String text = """
        # HELP kubelet_evictions [ALPHA] Cumulative evictions.
        # TYPE kubelet_evictions counter
        kubelet_evictions{eviction_signal="memory.available"} 2 1000
        # HELP kubelet_node_name The node's name.
        # TYPE kubelet_node_name gauge
        kubelet_node_name{node="Grüße \\"n\\""} 1
        # HELP kubelet_pod_start_duration_seconds Duration.
        # TYPE kubelet_pod_start_duration_seconds histogram
        kubelet_pod_start_duration_seconds_bucket{le="0.5"} 2
        kubelet_pod_start_duration_seconds_bucket{le="1"} 5
        kubelet_pod_start_duration_seconds_bucket{le="+Inf"} 9
        kubelet_pod_start_duration_seconds_sum 12.5
        kubelet_pod_start_duration_seconds_count 9
        # HELP go_gc_duration_seconds GC pauses.
        # TYPE go_gc_duration_seconds summary
        go_gc_duration_seconds{quantile="0"} 1e-05
        go_gc_duration_seconds{quantile="0.75"} 3e-05
        go_gc_duration_seconds_sum 0.004
        go_gc_duration_seconds_count 120
        """;

    ExportMetricsServiceRequest fromProtobuf = ExpositionMapper.toOtlp(ProtobufExposition.parse(body.toByteArray()),
        ORIGIN, SCRAPED);
    ExportMetricsServiceRequest fromText = ExpositionMapper.toOtlp(ExpositionParser.parse(text), ORIGIN, SCRAPED);

    assertThat(fromProtobuf).isEqualTo(fromText);
    assertThat(ProtobufExposition.isProtobuf(ProtobufExposition.CONTENT_TYPE)).isTrue();
    assertThat(ProtobufExposition.isProtobuf("text/plain; version=0.0.4")).isFalse();
  }

  @Test
  void aBodyThatIsNotDelimitedMetricFamiliesIsAFormatError() {
    assertThatThrownBy(() -> ProtobufExposition.parse(new byte[] {0x7f, 0x01, 0x02}))
        .isInstanceOf(ExpositionFormatException.class);
  }
}
