package io.kubeobserve.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@WithKafka
class ServicesIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern OPS_PORT = Pattern.compile("ops endpoint listening on [0-9.]+:(\\d+)");

  @TempDir Path dir;

  private List<String> sets(ServiceKind<?> kind, EmbeddedKafka kafka) throws Exception {
    List<String> sets = new ArrayList<>(List.of("kafka.bootstrapServers=" + kafka.bootstrapServers(), "ops.port=0",
        "ops.address=127.0.0.1", "ops.readinessInterval=200ms"));
    if (kind == ServiceKind.AGENT) {
      sets.addAll(List.of("kubernetes.enabled=false", "logs.root=" + Files.createDirectories(dir.resolve("pods")),
          "checkpoints.dir=" + Files.createDirectories(dir.resolve("checkpoints"))));
    } else if (kind == ServiceKind.ROUTER) {
      sets.addAll(List.of("kubernetes.enabled=false", "indexer.enabled=false"));
    } else if (kind == ServiceKind.ADAPTER) {
      sets.add("exposition.port=0");
    } else if (kind == ServiceKind.ALERTS) {
      sets.addAll(List.of("engine.stateDir=" + Files.createDirectories(dir.resolve("alerts")),
          "silencesApi.address=127.0.0.1", "silencesApi.port=0"));
    }
    return sets;
  }

  static List<ServiceKind<?>> kinds() {
    return ServiceKind.ALL;
  }

  private static int status(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void eachServiceStartsServesItsOpsEndpointAndStops(ServiceKind<?> kind, EmbeddedKafka kafka) throws Exception {
    ServiceRuntime runtime = kind.start(new ConfigSources(Optional.empty(), sets(kind, kafka), Map.of()));
    int port = runtime.opsPort();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> status(port, "/readyz") == 200);
      assertThat(status(port, "/healthz")).isEqualTo(200);
      assertThat(status(port, "/metrics")).isEqualTo(200);
    } finally {
      runtime.close();
    }
    assertThat(runtime.opsPort()).isEqualTo(port);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> status(port, "/healthz")))
            .isInstanceOf(java.net.ConnectException.class));
  }

  @Test
  void sigtermStopsARunningAgentProcessGracefully(EmbeddedKafka kafka) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), KubeObserve.class.getName(), "agent"));
    for (String set : sets(ServiceKind.AGENT, kafka)) {
      command.add("--set");
      command.add(set);
    }
    Process agent = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
        lines.lines().forEach(output::add);
      } catch (Exception e) {
        output.add("reader failed: " + e);
      }
    });
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> output.stream().anyMatch(l -> l.contains("collector-agent started")));
      int port = output.stream().map(OPS_PORT::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
          .findFirst().orElseThrow();
      assertThat(status(port, "/healthz")).isEqualTo(200);

      agent.toHandle().destroy(); // SIGTERM, leaving our end of its output open

      assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("agent exited within its shutdown timeout").isTrue();
      reader.join(5000);
      assertThat(agent.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hooks ran
      assertThat(output).anyMatch(l -> l.contains("collector-agent stopping"))
          .anyMatch(l -> l.contains("collector-agent stopped"));
    } finally {
      agent.destroyForcibly();
    }
  }
}
