package io.kubeobserve.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

@WithKafka
class ServiceRuntimeIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static CoreOnlyConfig config(EmbeddedKafka kafka, String... extraSets) {
    List<String> sets = new java.util.ArrayList<>(List.of(
        "kafka.bootstrapServers=" + kafka.bootstrapServers(), "ops.port=0", "ops.address=127.0.0.1",
        "ops.readinessInterval=200ms", "kafka.provisioning.replicationFactor=1",
        "kafka.provisioning.minInsyncReplicas=1", "kafka.provisioning.partitions=1",
        "kafka.topics.logs=runtime-it-logs", "cluster.name=it-cluster"));
    sets.addAll(List.of(extraSets));
    return ConfigLoader.load(CoreOnlyConfig.class,
        new ConfigSources(Optional.empty(), sets, Map.of()), "core-defaults.yaml");
  }

  /** A service that writes the logs topic and remembers whether it was started and stopped. */
  static final class RecordingService implements Service {
    final AtomicBoolean started = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();
    final List<TopicSpec> topics;

    RecordingService(List<TopicSpec> topics) {
      this.topics = topics;
    }

    @Override
    public List<TopicSpec> topicsWritten() {
      return topics;
    }

    @Override
    public void start() {
      started.set(true);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startsTheServiceAfterCreatingItsTopicsAndStopsItOnClose(EmbeddedKafka kafka) throws Exception {
    CoreOnlyConfig config = config(kafka);
    RecordingService service = new RecordingService(List.of(new ContractTopics(config.kafka()).logs()));

    ServiceRuntime runtime = ServiceRuntime.start("it", config, context -> service);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      assertThat(service.started).isTrue();
      assertThat(admin.listTopics().names().get()).contains("runtime-it-logs");
      assertThat(get(runtime.opsPort(), "/healthz").statusCode()).isEqualTo(200);
    } finally {
      runtime.close();
      runtime.close();
    }
    assertThat(service.closed).isTrue();
  }

  @Test
  void readinessFollowsTheBroker(EmbeddedKafka kafka) throws Exception {
    try (ServiceRuntime runtime = ServiceRuntime.start("it", config(kafka), context -> new RecordingService(List.of()))) {
      int port = runtime.opsPort();
      await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/readyz").statusCode() == 200);
      assertThat(get(port, "/readyz").body()).startsWith("kafka: ok");

      kafka.stop();
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> get(port, "/readyz").statusCode() == 503);
        assertThat(get(port, "/readyz").body()).startsWith("kafka: not ready (unreachable");
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      } finally {
        kafka.start();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/readyz").statusCode() == 200);
    }
  }

  @Test
  void metricsEndpointServesJvmProcessAndKafkaClientMeters(EmbeddedKafka kafka) throws Exception {
    try (ServiceRuntime runtime = ServiceRuntime.start("it", config(kafka), context -> new RecordingService(List.of()))) {
      HttpResponse<String> metrics = get(runtime.opsPort(), "/metrics");

      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      assertThat(metrics.body())
          .contains("jvm_memory_used_bytes{")
          .contains("process_cpu_usage{")
          .contains("kafka_admin_client_")
          .contains("service=\"it\"")
          .contains("cluster=\"it-cluster\"");
      HttpResponse<String> openMetrics = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + runtime.opsPort() + "/metrics"))
          .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(openMetrics.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/openmetrics-text"));
      assertThat(openMetrics.body()).endsWith("# EOF\n");
    }
  }
}
