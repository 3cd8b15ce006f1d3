package io.kubeobserve.router.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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

  /** Every committed record of the topic, read with a group-less consumer from the beginning to the current end. */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      for (int polls = 0; polls < 600; polls++) {
        boolean done = true;
        for (TopicPartition partition : partitions) {
          done &= consumer.position(partition) >= end.get(partition);
        }
        if (done) {
          break;
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }
}
