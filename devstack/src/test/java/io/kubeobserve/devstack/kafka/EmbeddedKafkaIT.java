package io.kubeobserve.devstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.devstack.junit.WithKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@WithKafka
class EmbeddedKafkaIT {

  @Test
  void producesAndConsumesThroughTheBroker(EmbeddedKafka kafka) throws Exception {
    createTopic(kafka, "devstack-selftest");
    send(kafka, "devstack-selftest", "node-1", "first");
    send(kafka, "devstack-selftest", "node-2", "second");

    assertThat(consume(kafka, "devstack-selftest", 2))
        .containsExactly("node-1=first", "node-2=second");
  }

  @Test
  void keepsItsDataAcrossARestartOnTheSamePort(EmbeddedKafka kafka) throws Exception {
    createTopic(kafka, "devstack-restart");
    send(kafka, "devstack-restart", "k", "before");
    String bootstrap = kafka.bootstrapServers();

    kafka.stop();
    assertThat(kafka.isRunning()).isFalse();
    kafka.start();

    assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
    send(kafka, "devstack-restart", "k", "after");
    assertThat(consume(kafka, "devstack-restart", 2)).containsExactly("k=before", "k=after");
  }

  private static void createTopic(EmbeddedKafka kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  private static void send(EmbeddedKafka kafka, String topic, String key, String value) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
        new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static List<String> consume(EmbeddedKafka kafka, String topic, int count) {
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
        Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "selftest-" + topic,
            "auto.offset.reset", "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seen.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(record.key() + "=" + record.value());
        }
      }
    }
    return seen;
  }
}
