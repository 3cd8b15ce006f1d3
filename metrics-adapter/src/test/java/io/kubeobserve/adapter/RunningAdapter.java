package io.kubeobserve.adapter;

import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A metrics-adapter started by the real service runtime against the test broker, on its own
 * topics and consumer group, with a producer playing the agent.
 */
final class RunningAdapter implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final String name;
  final String metricsTopic;
  final String deadletterTopic;
  final ServiceRuntime runtime;
  final AdapterService adapter;
  private final KafkaProducer<byte[], byte[]> producer;

  private RunningAdapter(String name, String metricsTopic, String deadletterTopic, ServiceRuntime runtime,
      AdapterService adapter, KafkaProducer<byte[], byte[]> producer) {
    this.name = name;
    this.metricsTopic = metricsTopic;
    this.deadletterTopic = deadletterTopic;
    this.runtime = runtime;
    this.adapter = adapter;
    this.producer = producer;
  }

  /**
   * Starts an adapter named {@code name} (its cluster, topics and group are named after it) with
   * these extra {@code --set}s, on a metrics topic of {@code partitions} partitions.
   */
  static RunningAdapter start(EmbeddedKafka kafka, String name, int partitions, String... sets) throws Exception {
    String metricsTopic = name + "-metrics";
    String deadletterTopic = name + "-deadletter";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(metricsTopic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
        throw e;
      }
    }
    List<String> all = new ArrayList<>(List.of(
        "kafka.bootstrapServers=" + kafka.bootstrapServers(), "ops.port=0", "ops.address=127.0.0.1",
        "exposition.port=0", "exposition.address=127.0.0.1", "cluster.name=" + name,
        "kafka.topics.metrics=" + metricsTopic, "kafka.topics.deadletter=" + deadletterTopic,
        "consumer.groupId=" + name, "exposition.clusterLabel=cluster",
        "kafka.provisioning.replicationFactor=1", "kafka.provisioning.minInsyncReplicas=1",
        "kafka.provisioning.partitions=1"));
    all.addAll(List.of(sets));
    AdapterConfig config = ConfigLoader.load(AdapterConfig.class, new ConfigSources(Optional.empty(), all, Map.of()),
        AdapterConfig.DEFAULTS);
    AtomicReference<AdapterService> adapter = new AtomicReference<>();
    ServiceRuntime runtime = ServiceRuntime.start("metrics-adapter", config, context -> {
      adapter.set(new AdapterService(config, context));
      return adapter.get();
    });
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "linger.ms", 0, "max.request.size", 8 << 20), new ByteArraySerializer(), new ByteArraySerializer());
    return new RunningAdapter(name, metricsTopic, deadletterTopic, runtime, adapter.get(), producer);
  }

  /** Produces a request as the agent of {@code node} does: keyed by node name. */
  void produce(String node, ExportMetricsServiceRequest request) throws Exception {
    producer.send(new ProducerRecord<>(metricsTopic, node.getBytes(StandardCharsets.UTF_8),
        OtlpCodec.encodeMetrics(request))).get(30, TimeUnit.SECONDS);
  }

  /** Produces raw bytes, such as a record that is not OTLP. */
  void produceRaw(ProducerRecord<byte[], byte[]> record) throws Exception {
    producer.send(record).get(30, TimeUnit.SECONDS);
  }

  String hostPort() {
    return "127.0.0.1:" + adapter.expositionPort();
  }

  /** GET the exposition with this {@code Accept} header. */
  HttpResponse<String> scrape(String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + hostPort() + "/metrics"));
    if (accept != null) {
      request.header("Accept", accept);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The adapter's own meters, from its ops endpoint. */
  String opsMetrics() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.opsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() {
    producer.close();
    runtime.close();
  }
}
