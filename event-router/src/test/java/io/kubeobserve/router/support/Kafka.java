package io.kubeobserve.router.support;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for tests. */
public final class Kafka {

  private Kafka() {}

  public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 10,
        ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd"),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Creates topics (when missing) with this many partitions and one replica. */
  public static void createTopics(String bootstrap, int partitions, String... names) {
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.<String, Object>of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      java.util.Set<String> existing = admin.listTopics().names().get();
      List<org.apache.kafka.clients.admin.NewTopic> topics = java.util.Arrays.stream(names)
          .filter(name -> !existing.contains(name))
          .map(name -> new org.apache.kafka.clients.admin.NewTopic(name, partitions, (short) 1)).toList();
      admin.createTopics(topics).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics", e);
    }
  }
}
