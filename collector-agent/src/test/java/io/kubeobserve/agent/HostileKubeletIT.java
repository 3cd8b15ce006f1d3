package io.kubeobserve.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kubelet that answers every endpoint with something hostile: truncated JSON and wrong types on
 * {@code /stats/summary}, a 50 MB body on {@code /metrics/cadvisor}, a response that never ends on
 * {@code /metrics/resource}, 401 on {@code /metrics}. Each is counted by reason, scrapes time out,
 * and the agent keeps running and shipping logs.
 */
@WithKafka
class HostileKubeletIT {

  private static final String UID = "5f0c7d8e-1b2a-4c3d-9e8f-7a6b5c4d3e2f";

  @TempDir Path directory;

  @Test
  void hostileResponsesAreCountedAndTheAgentKeepsShippingLogs(EmbeddedKafka kafka) throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger summaries = new AtomicInteger();
    ExecutorService handlers = Executors.newFixedThreadPool(4);
    HttpServer kubelet = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    kubelet.setExecutor(handlers);
    kubelet.createContext("/stats/summary", exchange -> respond(exchange, 200, summaries.getAndIncrement() % 2 == 0
        ? "{\"node\":{\"nodeName\":\"n\",\"memory\":{\"availableBytes\":" // truncated
        : "{\"node\":{\"nodeName\":\"n\",\"memory\":{\"availableBytes\":\"lots\"}},\"pods\":[]}")); // wrong type
    kubelet.createContext("/metrics/cadvisor", exchange -> {
      exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length to refuse it early
      byte[] line = "container_cpu_usage_seconds_total{container=\"x\"} 1\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = exchange.getResponseBody()) {
        for (long sent = 0; sent < 50L << 20; sent += line.length) {
          out.write(line);
        }
      } catch (IOException e) {
        // the agent hung up, as it should
      }
    });
    kubelet.createContext("/metrics/resource", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write("# TYPE node_cpu_usage_seconds_total counter\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        stop.await(60, TimeUnit.SECONDS); // and never more
      } catch (IOException | InterruptedException e) {
        // done
      }
    });
    kubelet.createContext("/metrics", exchange -> respond(exchange, 401, "Unauthorized"));
    kubelet.start();

    Path logs = directory.resolve("pods");
    Path file = logs.resolve("shop_web-1_" + UID + "/web/0.log");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "2024-05-01T10:00:00.000000001Z stdout F first\n");
    Path token = Files.writeString(directory.resolve("token"), "t0ken");
    try (RunningAgent agent = RunningAgent.start(kafka, List.of("kubernetes.enabled=false", "node.name=hostile",
        "logs.root=" + logs, "checkpoints.dir=" + directory.resolve("checkpoints"), "kafka.topics.logs=hostile-logs",
        "kafka.topics.metrics=hostile-metrics", "kafka.topics.events=hostile-events",
        "kubelet.url=http://127.0.0.1:" + kubelet.getAddress().getPort(), "kubelet.tokenFile=" + token,
        "kubelet.interval=500ms", "kubelet.jitter=0s", "kubelet.timeout=1s"));
         TopicReader lines = new TopicReader(kafka.bootstrapServers(), "hostile-logs");
         TopicReader events = new TopicReader(kafka.bootstrapServers(), "hostile-events")) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        String metrics = ops(agent);
        assertThat(errors(metrics, "/stats/summary", "malformed")).isGreaterThanOrEqualTo(2);
        assertThat(errors(metrics, "/metrics/cadvisor", "too_large")).isGreaterThanOrEqualTo(1);
        assertThat(errors(metrics, "/metrics/resource", "timeout")).isGreaterThanOrEqualTo(2);
        assertThat(errors(metrics, "/metrics", "unauthorized")).isGreaterThanOrEqualTo(1);
      });
      assertThat(ops(agent)).containsPattern(
          "kube_observe_agent_kubelet_scrape_duration_seconds_count\\{[^}]*endpoint=\"/metrics/resource\"");
      // still alive: a line written now is shipped
      Files.writeString(file, "2024-05-01T10:00:05.000000001Z stdout F second\n", StandardOpenOption.APPEND);
      await().atMost(Duration.ofSeconds(30)).until(() -> lines.events().stream()
          .anyMatch(e -> e.body().equals("second")));
      // and its heartbeat (the first one goes out at start) says so
      await().atMost(Duration.ofSeconds(30)).until(() -> !events.events().isEmpty());
      assertThat(events.events().get(0)).satisfies(beat -> {
        assertThat(beat.eventName()).isEqualTo("kube_observe.agent.heartbeat");
        assertThat(beat.key()).isEqualTo("hostile");
        assertThat(beat.resource()).containsEntry("k8s.node.name", "hostile").containsEntry("k8s.cluster.name", "it");
        assertThat(beat.uid()).matches("[0-9a-f]{32}");
        assertThat(beat.attributes()).containsKeys("kube_observe.agent.log.lines", "kube_observe.agent.log.files",
            "kube_observe.agent.scrapes", "kube_observe.agent.started_at");
      });
    } finally {
      stop.countDown();
      kubelet.stop(0);
      handlers.shutdownNow();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String ops(RunningAgent agent) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + agent.runtime().opsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static double errors(String metrics, String endpoint, String reason) {
    Matcher matcher = Pattern.compile("kube_observe_agent_kubelet_scrape_errors_total\\{([^}]*)} (\\S+)").matcher(metrics);
    while (matcher.find()) {
      if (matcher.group(1).contains("endpoint=\"" + endpoint + "\"") && matcher.group(1).contains("reason=\"" + reason + "\"")) {
        return Double.parseDouble(matcher.group(2));
      }
    }
    return -1;
  }
}
