package io.kubeobserve.devstack.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kubeobserve.devstack.junit.WithPrometheus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithPrometheus
class LocalPrometheusIT {

  private static final String EXPOSITION =
      """
      # HELP devstack_it_temperature_celsius A gauge with a known value.
      # TYPE devstack_it_temperature_celsius gauge
      devstack_it_temperature_celsius{room="lab"} 21.5
      # HELP devstack_it_requests_total A counter.
      # TYPE devstack_it_requests_total counter
      devstack_it_requests_total{code="200"} 7
      """;

  private static HttpServer exporter;

  @BeforeAll
  static void startExporter() throws IOException {
    exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    exporter.createContext(
        "/custom/metrics",
        exchange -> {
          byte[] body = EXPOSITION.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    exporter.start();
  }

  @AfterAll
  static void stopExporter() {
    exporter.stop(0);
  }

  @Test
  void scrapesAJobAddedAtRunTimeAndAnswersQueries(LocalPrometheus prometheus) {
    String target = "127.0.0.1:" + exporter.getAddress().getPort();
    prometheus.addScrapeJob("devstack-it", target, "/custom/metrics", false);

    LocalPrometheus.Target up = prometheus.awaitTargetUp("devstack-it", Duration.ofSeconds(30));
    assertThat(up.scrapeUrl()).isEqualTo("http://" + target + "/custom/metrics");

    List<LocalPrometheus.Sample> samples =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> prometheus.query("devstack_it_temperature_celsius{job=\"devstack-it\"}"),
                result -> !result.isEmpty());
    assertThat(samples)
        .singleElement()
        .satisfies(
            sample -> {
              assertThat(sample.value()).isEqualTo(21.5);
              assertThat(sample.labels())
                  .containsEntry("__name__", "devstack_it_temperature_celsius")
                  .containsEntry("room", "lab")
                  .containsEntry("instance", target)
                  .containsEntry("job", "devstack-it");
            });
    assertThat(prometheus.query("sum(devstack_it_requests_total{job=\"devstack-it\"}) * 2"))
        .singleElement()
        .satisfies(sample -> assertThat(sample.value()).isEqualTo(14.0));
    assertThat(prometheus.query("scalar(vector(3))"))
        .singleElement()
        .satisfies(sample -> assertThat(sample.value()).isEqualTo(3.0));

    prometheus.removeScrapeJob("devstack-it");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> prometheus.targets().stream().noneMatch(t -> t.job().equals("devstack-it")));
  }

  @Test
  void rejectsABadQuery(LocalPrometheus prometheus) {
    assertThatThrownBy(() -> prometheus.query("sum(")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void promtoolAcceptsGoodExpositionText() {
    Promtool.Result result = Promtool.checkMetrics(EXPOSITION);
    assertThat(result.clean()).as("%s", result).isTrue();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void promtoolReportsAParseErrorForBrokenText() {
    Promtool.Result result = Promtool.checkMetrics("devstack_it_broken{room=\"lab\" 1\n");
    assertThat(result.valid()).isFalse();
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.errors()).singleElement().asString().contains("parsing error");
    assertThat(result.lintProblems()).isEmpty();
  }

  @Test
  void promtoolReportsLintProblemsApartFromErrors() {
    Promtool.Result result = Promtool.checkMetrics("devstack_it_requests 1\n");
    assertThat(result.valid()).isTrue();
    assertThat(result.clean()).isFalse();
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.errors()).isEmpty();
    assertThat(result.lintProblems()).contains("devstack_it_requests no help text");
  }

  @Test
  void promtoolChecksRules() {
    assertThat(
            Promtool.checkRules(
                    """
                    groups:
                      - name: devstack
                        rules:
                          - alert: TargetDown
                            expr: up == 0
                            for: 1m
                    """)
                .clean())
        .isTrue();
    Promtool.Result broken =
        Promtool.checkRules(
            """
            groups:
              - name: devstack
                rules:
                  - alert: TargetDown
                    expr: up ==
            """);
    assertThat(broken.valid()).isFalse();
    assertThat(broken.errors()).anySatisfy(line -> assertThat(line).contains("parse error"));
  }
}
