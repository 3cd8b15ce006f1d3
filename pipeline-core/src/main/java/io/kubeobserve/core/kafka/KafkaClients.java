package io.kubeobserve.core.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Creates a service's Kafka clients from {@code kafka.*}, with the project's delivery settings,
 * and binds each client's metrics to the service's meter registry. Closing this closes the
 * meter bindings; clients are closed by their owners.
 */
public final class KafkaClients implements AutoCloseable {

  private final KafkaConfig config;
  private final String clientIdPrefix;
  private final MeterRegistry registry;
  private final List<KafkaClientMetrics> bindings = new ArrayList<>();

  public KafkaClients(KafkaConfig config, String clientIdPrefix, MeterRegistry registry) {
    this.config = config;
    this.clientIdPrefix = clientIdPrefix;
    this.registry = registry;
  }

  /**
   * A client's settings: the given defaults, then the bootstrap list and client id, then
   * {@code kafka.properties.*}, which the user may use to override any of them.
   */
  public Map<String, Object> settings(String purpose, Map<String, Object> defaults) {
    return settings(config, clientIdPrefix + "-" + purpose, defaults);
  }

  /** The same, for a tool's short-lived client that needs no meters. */
  public static Map<String, Object> settings(KafkaConfig config, String clientId, Map<String, Object> defaults) {
    Map<String, Object> props = new HashMap<>(defaults);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.bootstrapServers()));
    props.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    props.putAll(config.properties());
    return props;
  }

  /**
   * An idempotent producer with {@code acks=all}: a send is acknowledged only when every in-sync
   * replica has it, and retries never duplicate or reorder within a partition.
   */
  public KafkaProducer<byte[], byte[]> producer(String purpose) {
    return producer(purpose, Map.of());
  }

  /**
   * The same, with {@code overrides} on top of the defaults (compression, batch and request sizes, ...);
   * {@code kafka.properties.*} still override both.
   */
  public KafkaProducer<byte[], byte[]> producer(String purpose, Map<String, Object> overrides) {
    Map<String, Object> defaults = new HashMap<>(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
        ProducerConfig.LINGER_MS_CONFIG, 20));
    defaults.putAll(overrides);
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(settings(purpose, defaults), new ByteArraySerializer(), new ByteArraySerializer());
    bind(new KafkaClientMetrics(producer));
    return producer;
  }

  /** A consumer of a group that commits offsets itself, after its work is done. */
  public KafkaConsumer<byte[], byte[]> consumer(String purpose, String groupId) {
    Map<String, Object> props = settings(purpose, Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, groupId,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    bind(new KafkaClientMetrics(consumer));
    return consumer;
  }

  public Admin admin(String purpose) {
    AdminClient admin = AdminClient.create(settings(purpose, Map.of()));
    bind(new KafkaClientMetrics(admin));
    return admin;
  }

  private synchronized void bind(KafkaClientMetrics metrics) {
    metrics.bindTo(registry);
    bindings.add(metrics);
  }

  @Override
  public synchronized void close() {
    bindings.forEach(KafkaClientMetrics::close);
    bindings.clear();
  }
}
