package io.kubeobserve.agent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Named.named;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kubeobserve.devstack.junit.WithPrometheus;
import io.kubeobserve.devstack.prometheus.LocalPrometheus;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Prometheus scrapes each recorded exposition and must read what our parser reads: the
 * same series (name and labels; Prometheus drops empty label values), values, timestamps, types and
 * help, and the same sample count. The file is served as recorded except that its timestamps are
 * moved by one offset to the present, since Prometheus refuses samples years old; the comparison
 * takes the offset back.
 */
@WithPrometheus
class PrometheusAgreesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** The series Prometheus adds to every scrape (the resource payload has its own scrape_error). */
  private static final java.util.Set<String> PROMETHEUS_OWN = java.util.Set.of("up", "scrape_duration_seconds",
      "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added");

  static Stream<Arguments> payloads() {
    return Stream.of(Arguments.of(named("cadvisor", KubeletFixtures.CADVISOR), "fixture_cadvisor"),
        Arguments.of(named("resource", KubeletFixtures.RESOURCE), "fixture_resource"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("payloads")
  void prometheusReadsWhatOurParserReads(String fixture, String job, LocalPrometheus prometheus) throws Exception {
    String raw = new String(KubeletFixtures.bytes(fixture), StandardCharsets.UTF_8);
    Exposition ours = ExpositionParser.parse(raw);
    long newest = ours.families().stream().flatMap(f -> f.samples().stream())
        .filter(s -> s.timestampMillis().isPresent()).mapToLong(s -> s.timestampMillis().getAsLong()).max().orElse(0);
    long offset = System.currentTimeMillis() - 2_000 - newest;
    byte[] served = shift(raw, offset).getBytes(StandardCharsets.UTF_8);

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, served.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(served);
      }
    });
    server.start();
    try {
      prometheus.addScrapeJob(job, "127.0.0.1:" + server.getAddress().getPort(), "/metrics", true);
      prometheus.awaitTargetUp(job, Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(prometheus.query("scrape_samples_scraped{job=\"" + job + "\"}")).singleElement()
              .satisfies(s -> assertThat((int) s.value()).isEqualTo(ours.sampleCount())));

      Map<String, double[]> theirs = series(prometheus, job);
      Map<String, double[]> expected = new TreeMap<>();
      for (MetricFamily family : ours.families()) {
        for (Sample sample : family.samples()) {
          expected.put(key(sample.name(), sample.labels()), new double[] {sample.value(),
              sample.timestampMillis().isPresent() ? sample.timestampMillis().getAsLong() + offset : Double.NaN});
        }
      }
      assertThat(theirs.keySet()).isEqualTo(expected.keySet());
      expected.forEach((key, value) -> {
        double[] their = theirs.get(key);
        assertThat(Double.doubleToLongBits(their[0])).as("value of %s", key).isEqualTo(Double.doubleToLongBits(value[0]));
        if (!Double.isNaN(value[1])) {
          assertThat(their[1]).as("timestamp of %s", key).isEqualTo(value[1]);
        }
      });

      // types and help, as Prometheus' parser read them from the same text
      JsonNode metadata = get(prometheus, "/api/v1/targets/metadata?match_target="
          + URLEncoder.encode("{job=\"" + job + "\"}", StandardCharsets.UTF_8)).path("data");
      Map<String, String> theirTypes = new HashMap<>();
      Map<String, String> theirHelp = new HashMap<>();
      for (JsonNode entry : metadata) {
        theirTypes.put(entry.path("metric").asText(), entry.path("type").asText());
        theirHelp.put(entry.path("metric").asText(), entry.path("help").asText());
      }
      for (MetricFamily family : ours.families()) {
        if (!family.samples().isEmpty()) {
          String type = family.type() == MetricType.UNTYPED ? "unknown" : family.type().text();
          assertThat(theirTypes.get(family.name())).as("type of %s", family.name()).isEqualTo(type);
          assertThat(theirHelp.get(family.name())).as("help of %s", family.name()).isEqualTo(family.help().orElse(""));
        }
      }
    } finally {
      prometheus.removeScrapeJob(job);
      server.stop(0);
    }
  }

  /** Every series of the job over the last minutes: its last value and that value's timestamp (ms). */
  private static Map<String, double[]> series(LocalPrometheus prometheus, String job) throws Exception {
    JsonNode result = get(prometheus, "/api/v1/query?query=" + URLEncoder.encode("{job=\"" + job + "\"}[10m]",
        StandardCharsets.UTF_8)).path("data").path("result");
    Map<String, double[]> series = new TreeMap<>();
    for (JsonNode entry : result) {
      Map<String, String> labels = new TreeMap<>();
      entry.path("metric").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
      String name = labels.remove("__name__");
      if (PROMETHEUS_OWN.contains(name)) {
        continue;
      }
      labels.remove("job");
      labels.remove("instance");
      JsonNode last = entry.path("values").get(entry.path("values").size() - 1);
      series.put(key(name, labels), new double[] {parse(last.get(1).asText()),
          Math.round(last.get(0).asDouble() * 1000)});
    }
    return series;
  }

  private static JsonNode get(LocalPrometheus prometheus, String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(prometheus.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static double parse(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** Name and labels sorted by name, without empty values (Prometheus does not store them). */
  private static String key(String name, Map<String, String> labels) {
    StringBuilder key = new StringBuilder(name).append('{');
    new TreeMap<>(labels).forEach((label, value) -> {
      if (!value.isEmpty()) {
        key.append(label).append('=').append(value).append('\u0000');
      }
    });
    return key.append('}').toString();
  }

  /** The exposition with every sample timestamp moved by {@code offset} ms; nothing else changes. */
  static String shift(String text, long offset) {
    StringBuilder out = new StringBuilder(text.length());
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        int brace = line.lastIndexOf('}');
        String rest = brace >= 0 ? line.substring(brace + 1) : line.substring(line.indexOf(' ') + 1);
        String[] fields = rest.strip().split("\\s+");
        if (fields.length == 2) {
          int at = line.lastIndexOf(fields[1]);
          line = line.substring(0, at) + (Long.parseLong(fields[1]) + offset) + line.substring(at + fields[1].length());
        }
      }
      out.append(line).append('\n');
    }
    out.setLength(out.length() - 1);
    return out.toString();
  }
}
