package io.kubeobserve.agent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Named.named;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExpositionParserTest {

  @Test
  void theRecordedCadvisorEndpointParsesCompletely() throws Exception {
    Exposition exposition = ExpositionParser.parse(KubeletFixtures.bytes(KubeletFixtures.CADVISOR));

    assertThat(exposition.families()).hasSize(67);
    assertThat(exposition.sampleCount()).isEqualTo(3181);
    assertThat(exposition.families()).filteredOn(f -> f.type() == MetricType.COUNTER).hasSize(30);
    assertThat(exposition.families()).filteredOn(f -> f.type() == MetricType.GAUGE).hasSize(37);
    assertThat(exposition.families().stream().flatMap(f -> f.samples().stream())
        .filter(s -> s.timestampMillis().isPresent())).hasSize(2780);

    MetricFamily workingSet = family(exposition, "container_memory_working_set_bytes");
    assertThat(workingSet.help()).contains("Current working set in bytes.");
    Sample etcd = workingSet.samples().stream()
        .filter(s -> "etcd".equals(s.labels().get("container"))).findFirst().orElseThrow();
    assertThat(etcd.labels()).containsExactly(
        Map.entry("container", "etcd"),
        Map.entry("id", "/kubepods/burstable/pod322d4c35364c41fd12af24fb73e4e208/"
            + "c19bf483bc27aa42da7e85f3c8065672b8a2ce3a43f8554613ebcf69acb3a29d"),
        Map.entry("image", "registry.k8s.io/etcd:3.5.6-0"),
        Map.entry("name", "c19bf483bc27aa42da7e85f3c8065672b8a2ce3a43f8554613ebcf69acb3a29d"),
        Map.entry("namespace", "kube-system"),
        Map.entry("pod", "etcd-datagen-1-24"));
    assertThat(etcd.value()).isEqualTo(3.2468992e+07);
    assertThat(etcd.timestampMillis()).hasValue(1694016932534L);
    assertThat(etcd.line()).isEqualTo(1639);

    Sample version = family(exposition, "cadvisor_version_info").samples().get(0);
    assertThat(version.labels()).containsEntry("osVersion", "Ubuntu 22.04.2 LTS");
    assertThat(version.timestampMillis()).isEmpty();
    assertThat(family(exposition, "container_memory_failcnt").type()).isEqualTo(MetricType.COUNTER);
    assertThat(family(exposition, "machine_memory_bytes").samples().get(0).value()).isEqualTo(8.232828928e+09);
  }

  @Test
  void theRecordedResourceEndpointParsesWithItsTimestamps() throws Exception {
    Exposition exposition = ExpositionParser.parse(KubeletFixtures.bytes(KubeletFixtures.RESOURCE));

    assertThat(exposition.families()).extracting(MetricFamily::name).containsExactly(
        "container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "node_cpu_usage_seconds_total",
        "node_memory_working_set_bytes", "pod_cpu_usage_seconds_total", "pod_memory_working_set_bytes",
        "scrape_error");
    assertThat(exposition.sampleCount()).isEqualTo(283);
    assertThat(family(exposition, "scrape_error").samples()).singleElement()
        .satisfies(s -> assertThat(s.timestampMillis()).isEmpty());
    assertThat(exposition.families().stream().filter(f -> !f.name().equals("scrape_error"))
        .flatMap(f -> f.samples().stream())).allSatisfy(s -> assertThat(s.timestampMillis()).isPresent());
    Sample first = family(exposition, "container_cpu_usage_seconds_total").samples().get(0);
    assertThat(first.labels()).containsExactly(Map.entry("container", "coredns"), Map.entry("namespace", "kube-system"),
        Map.entry("pod", "coredns-558bd4d5db-4dpjz"));
    assertThat(first.value()).isEqualTo(4.710169);
    assertThat(first.timestampMillis()).hasValue(1633253812125L);
  }

  static Stream<Arguments> validLines() {
    return Stream.of(
        valid("plain", "up 1", "up", Map.of(), 1, null),
        valid("timestamp", "up 1 1633253812125", "up", Map.of(), 1, 1633253812125L),
        valid("negative timestamp", "up 1 -5", "up", Map.of(), 1, -5L),
        valid("scientific", "x 3.2468992e+07", "x", Map.of(), 3.2468992e+07, null),
        valid("NaN", "x NaN", "x", Map.of(), Double.NaN, null),
        valid("+Inf", "x +Inf", "x", Map.of(), Double.POSITIVE_INFINITY, null),
        valid("-Inf", "x -Inf", "x", Map.of(), Double.NEGATIVE_INFINITY, null),
        valid("leading dot", "x .5", "x", Map.of(), 0.5, null),
        valid("hex float", "x 0x1p-2", "x", Map.of(), 0.25, null),
        valid("colon in name", "job:up:sum 2", "job:up:sum", Map.of(), 2, null),
        valid("empty label set", "x{} 2", "x", Map.of(), 2, null),
        valid("trailing comma", "x{a=\"1\",} 2", "x", ordered("a", "1"), 2, null),
        valid("blanks around labels", "x { a = \"1\" , b=\"2\" } 2", "x", ordered("a", "1", "b", "2"), 2, null),
        valid("escapes", "x{a=\"q\\\"b\\\\s\\nn\"} 1", "x", ordered("a", "q\"b\\s\nn"), 1, null),
        valid("braces and equals in value", "x{a=\"}{=,\"} 1", "x", ordered("a", "}{=,"), 1, null),
        valid("utf-8 value", "x{a=\"Grüße ✓\"} 1", "x", ordered("a", "Grüße ✓"), 1, null),
        valid("tabs and trailing blanks", "x\t7\t 12 \t", "x", Map.of(), 7, 12L),
        valid("no blank after labels", "x{a=\"1\"}3", "x", ordered("a", "1"), 3, null));
  }

  private static Arguments valid(String name, String line, String metric, Map<String, String> labels, double value,
      Long timestamp) {
    return Arguments.of(named(name, line), metric, labels, value, timestamp);
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validLines")
  void aValidSampleLineParses(String line, String metric, Map<String, String> labels, double value, Long timestamp)
      throws Exception {
    Sample sample = ExpositionParser.parse(line + "\n").families().get(0).samples().get(0);

    assertThat(sample.name()).isEqualTo(metric);
    assertThat(sample.labels()).containsExactlyEntriesOf(labels);
    assertThat(Double.valueOf(sample.value())).isEqualTo(Double.valueOf(value));
    assertThat(sample.timestampMillis()).isEqualTo(timestamp == null ? OptionalLong.empty() : OptionalLong.of(timestamp));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        bad("name starts with a digit", "1x 1", 2, "expected a metric name"),
        bad("no value", "x", 2, "sample of x has no value"),
        bad("no value after labels", "x{a=\"1\"}", 2, "has no value"),
        bad("value not a number", "x one", 2, "invalid sample value 'one'"),
        bad("Java-only float suffix", "x 1d", 2, "invalid sample value '1d'"),
        bad("comma decimal", "x 1,5", 2, "invalid sample value '1,5'"),
        bad("timestamp with fraction", "x 1 1.5", 2, "invalid timestamp '1.5'"),
        bad("timestamp overflow", "x 1 99999999999999999999", 2, "invalid timestamp"),
        bad("text after timestamp", "x 1 2 3", 2, "unexpected text after the timestamp"),
        bad("unterminated label set", "x{a=\"1\" 1", 2, "expected ',' or '}'"),
        bad("unterminated label value", "x{a=\"1} 1", 2, "unterminated value of label 'a'"),
        bad("label value not quoted", "x{a=1} 1", 2, "expected '\"' to open the value of label 'a'"),
        bad("label without equals", "x{a} 1", 2, "expected '=' after label name 'a'"),
        bad("invalid label name", "x{1a=\"1\"} 1", 2, "invalid label name"),
        bad("reserved label name", "x{__name__=\"y\"} 1", 2, "reserved"),
        bad("duplicate label", "x{a=\"1\",a=\"2\"} 1", 2, "duplicate label 'a'"),
        bad("bad escape", "x{a=\"\\t\"} 1", 2, "invalid escape sequence '\\t'"),
        bad("missing comma between labels", "x{a=\"1\" b=\"2\"} 1", 2, "expected ',' or '}'"),
        bad("unknown type", "# TYPE x countr", 2, "unknown metric type 'countr'"),
        bad("type without name", "# TYPE", 2, "expected a metric name after # TYPE"),
        bad("text after type", "# TYPE x counter extra", 2, "unexpected text after the type"),
        bad("bad HELP escape", "# HELP x a\\tb", 2, "invalid escape sequence '\\t' in HELP text"),
        bad("second TYPE", "# TYPE y gauge\n# TYPE y counter", 3, "second TYPE line for y"),
        bad("second HELP", "# HELP y a\n# HELP y b", 3, "second HELP line for y"),
        bad("TYPE after samples", "y 1\n# TYPE y gauge", 3, "TYPE line for y after its samples"),
        bad("family not grouped", "y 1\nz 1\ny{a=\"1\"} 2", 4, "outside its metric family y"),
        bad("metadata not grouped", "y 1\nz 1\n# HELP y again", 4, "which already appeared at line 2"),
        bad("duplicate series", "y{a=\"1\",b=\"2\"} 1\ny{b=\"2\",a=\"1\"} 2", 3, "same labels as line 2"),
        bad("bucket without le", "# TYPE h histogram\nh_bucket 1", 3, "histogram bucket without a 'le' label"),
        bad("bucket with bad le", "# TYPE h histogram\nh_bucket{le=\"x\"} 1", 3, "non-numeric le=\"x\""),
        bad("quantile without label", "# TYPE s summary\ns 1", 3, "summary quantile without a 'quantile' label"));
  }

  private static Arguments bad(String name, String lines, int line, String message) {
    return Arguments.of(named(name, lines), line, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void aMalformedExpositionFailsNamingItsLine(String lines, int line, String message) {
    String text = "# HELP ok fine\n" + lines + "\n";

    assertThatThrownBy(() -> ExpositionParser.parse(text))
        .isInstanceOf(ExpositionFormatException.class)
        .hasMessageStartingWith("line " + line + ": ")
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((ExpositionFormatException) e).line()).isEqualTo(line));
  }

  @Test
  void commentsBlankLinesAndAMissingFinalNewlineAreAccepted() throws Exception {
    Exposition exposition = ExpositionParser.parse("""
        # a comment that is neither HELP nor TYPE

        # HELP x Help with \\\\ and \\n escapes.
        # TYPE x counter
        x 2
        x_total 1
          \t
        # TYPE e gauge
        y 3""");

    assertThat(exposition.families()).extracting(MetricFamily::name).containsExactly("x", "x_total", "e", "y");
    assertThat(exposition.families().get(0).help()).contains("Help with \\ and \n escapes.");
    assertThat(exposition.families().get(0).type()).isEqualTo(MetricType.COUNTER);
    assertThat(exposition.families().get(1).type()).isEqualTo(MetricType.UNTYPED);
    assertThat(exposition.families().get(2).samples()).isEmpty();
    assertThat(exposition.families().get(3).samples().get(0).line()).isEqualTo(9);
  }

  @Test
  void histogramsAndSummariesGroupTheirSuffixedSamples() throws Exception {
    Exposition exposition = ExpositionParser.parse("""
        # HELP rest_client_request_duration_seconds [ALPHA] Request latency in seconds.
        # TYPE rest_client_request_duration_seconds histogram
        rest_client_request_duration_seconds_bucket{verb="GET",le="0.005"} 5
        rest_client_request_duration_seconds_bucket{verb="GET",le="+Inf"} 7
        rest_client_request_duration_seconds_sum{verb="GET"} 0.25
        rest_client_request_duration_seconds_count{verb="GET"} 7
        # TYPE go_gc_duration_seconds summary
        go_gc_duration_seconds{quantile="0.5"} 4.1e-05
        go_gc_duration_seconds_sum 0.01
        go_gc_duration_seconds_count 12
        """);

    assertThat(exposition.families()).extracting(MetricFamily::name, MetricFamily::type).containsExactly(
        org.assertj.core.groups.Tuple.tuple("rest_client_request_duration_seconds", MetricType.HISTOGRAM),
        org.assertj.core.groups.Tuple.tuple("go_gc_duration_seconds", MetricType.SUMMARY));
    assertThat(exposition.families().get(0).samples()).hasSize(4);
    assertThat(exposition.families().get(0).help()).isEqualTo(Optional.of("[ALPHA] Request latency in seconds."));
    assertThat(exposition.families().get(1).samples()).hasSize(3);
  }

  @Test
  void bytesThatAreNotUtf8AreReportedWithTheirLine() {
    byte[] text = "x 1\ny{a=\"\u0000\"} 2\n".getBytes(StandardCharsets.UTF_8);
    text[8] = (byte) 0xC3; // a lead byte followed by '"': malformed

    assertThatThrownBy(() -> ExpositionParser.parse(text))
        .isInstanceOf(ExpositionFormatException.class)
        .hasMessage("line 2: not UTF-8 at byte 8");
  }

  private static MetricFamily family(Exposition exposition, String name) {
    return exposition.families().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void valuesFollowTheFormatsNumberSyntax() {
    assertThat(ExpositionParser.parseValue("Inf")).isInfinite();
    assertThat(ExpositionParser.parseValue("nan")).isNaN();
    assertThat(List.of("1e", "e1", "", "+", "0x1", "1_000", "Infinityx", "1f"))
        .allSatisfy(text -> assertThatThrownBy(() -> ExpositionParser.parseValue(text))
            .isInstanceOf(NumberFormatException.class));
  }
}
