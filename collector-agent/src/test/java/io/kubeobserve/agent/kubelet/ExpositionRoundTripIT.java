package io.kubeobserve.agent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.kubeobserve.devstack.prometheus.Promtool;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prometheus text → OTLP → Prometheus text loses nothing for the recorded payloads, and
 * {@code promtool check metrics} finds no parse error in the re-rendered text and no lint finding
 * beyond those of the kubelet's own payload (cAdvisor's names are kept on purpose).
 */
class ExpositionRoundTripIT {

  private static final Instant SCRAPED = Instant.parse("2026-01-01T00:00:00Z");
  private static final long SCRAPED_NANOS = SCRAPED.toEpochMilli() * 1_000_000L;

  static Stream<Arguments> payloads() {
    return Stream.of(Arguments.of(named("cadvisor", KubeletFixtures.CADVISOR)),
        Arguments.of(named("resource", KubeletFixtures.RESOURCE)),
        Arguments.of(named("escapes, unicode, histogram, summary, untyped", "inline")));
  }

  /** Labels with escapes and Unicode, and the types the recordings lack. */
  private static final String INLINE = """
      # HELP kubelet_pod_start_duration_seconds [ALPHA] Duration in seconds \\\\ with a \\n newline.
      # TYPE kubelet_pod_start_duration_seconds histogram
      kubelet_pod_start_duration_seconds_bucket{node="n",le="0.5"} 2 1000
      kubelet_pod_start_duration_seconds_bucket{node="n",le="1"} 5 1000
      kubelet_pod_start_duration_seconds_bucket{node="n",le="+Inf"} 9 1000
      kubelet_pod_start_duration_seconds_sum{node="n"} 12.5 1000
      kubelet_pod_start_duration_seconds_count{node="n"} 9 1000
      # HELP go_gc_duration_seconds A summary of the pause duration.
      # TYPE go_gc_duration_seconds summary
      go_gc_duration_seconds{quantile="0"} 1e-05
      go_gc_duration_seconds{quantile="0.75"} 3e-05
      go_gc_duration_seconds_sum 0.004
      go_gc_duration_seconds_count 120
      # HELP legacy_info Something old.
      legacy_info{path="C:\\\\dir\\\\file",quote="say \\"hi\\"",text="Grüße ✓ 日本",nl="a\\nb"} 1
      """;

  @ParameterizedTest(name = "{0}")
  @MethodSource("payloads")
  void parseMapRenderIsLosslessAndPromtoolAgrees(String fixture) throws Exception {
    String original = fixture.equals("inline") ? INLINE
        : new String(KubeletFixtures.bytes(fixture), java.nio.charset.StandardCharsets.UTF_8);
    Exposition parsed = ExpositionParser.parse(original);
    ExportMetricsServiceRequest otlp = ExpositionMapper.toOtlp(parsed, ScrapeOrigin.kubelet("lab", "n", "/metrics"),
        SCRAPED);

    String rendered = PrometheusTextRenderer.render(otlp, SCRAPED_NANOS);
    Exposition again = ExpositionParser.parse(rendered);

    assertThat(canonical(again)).isEqualTo(canonical(parsed));
    assertThat(again.sampleCount()).isEqualTo(parsed.sampleCount());

    Promtool.Result renderedCheck;
    Promtool.Result originalCheck;
    try {
      renderedCheck = Promtool.checkMetrics(rendered);
      originalCheck = Promtool.checkMetrics(original);
    } catch (RuntimeException e) {
      Assumptions.abort("promtool is not available (apt-get install prometheus): " + e.getMessage());
      return;
    }
    assertThat(renderedCheck.errors()).as("promtool parse errors").isEmpty();
    assertThat(renderedCheck.lintProblems()).as("lint beyond the original's")
        .isSubsetOf(originalCheck.lintProblems());
  }

  /**
   * Families in order, each with its type and help, and its samples (name, labels in order, value,
   * timestamp), bounds and quantiles compared as numbers.
   */
  private static List<String> canonical(Exposition exposition) {
    List<String> lines = new ArrayList<>();
    for (MetricFamily family : exposition.families()) {
      if (family.samples().isEmpty()) {
        continue;
      }
      lines.add("family " + family.name() + " " + family.type() + " " + family.help().orElse(""));
      for (Sample sample : family.samples()) {
        StringBuilder line = new StringBuilder(sample.name()).append(' ');
        sample.labels().forEach((name, value) -> line.append(name).append('=')
            .append(name.equals("le") || name.equals("quantile") ? Double.toString(ExpositionParser.parseValue(value))
                : value).append(';'));
        line.append(' ').append(Double.doubleToLongBits(sample.value())).append(' ')
            .append(sample.timestampMillis().isPresent() ? sample.timestampMillis().getAsLong() : "none");
        lines.add(line.toString());
      }
    }
    // a family's samples come back grouped by series (histograms): compare as sets within a family
    return lines.stream().sorted().toList();
  }
}
