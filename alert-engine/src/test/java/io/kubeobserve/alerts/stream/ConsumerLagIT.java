package io.kubeobserve.alerts.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.alerts.support.Engine;
import io.kubeobserve.alerts.support.Receiver;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ConsumerLag} on a real broker: a consumer group of the pipeline far behind its topic
 * fires one incident naming the group and its lag, and resolves once it has caught up; a
 * configured group that does not exist is skipped.
 */
@WithKafka
class ConsumerLagIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int RECORDS = 500;

  @TempDir
  Path stateDir;

  @Test
  void aGroupFarBehindItsTopicFiresOnceNamingItsLagAndResolvesWhenItCommitsTheEnd(EmbeddedKafka kafka)
      throws Exception {
    String prefix = "it-lag-" + Long.toHexString(System.nanoTime()).substring(8);
    String topic = prefix + "-indexed";
    String group = prefix + "-indexer";
    TopicPartition partition = new TopicPartition(topic, 0);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all().get();
    }
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>(topic, ("log line " + i).getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    try (Receiver receiver = Receiver.start();
        KafkaConsumer<byte[], byte[]> indexer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, group,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Engine engine = Engine.start(Engine.config(kafka.bootstrapServers(), prefix, stateDir, receiver.url(),
            "pipelineHealth.lag.interval=300ms",
            "pipelineHealth.lag.groups[0].group=" + group,
            "pipelineHealth.lag.groups[0].threshold=100",
            "pipelineHealth.lag.groups[0].forDuration=2s",
            "pipelineHealth.lag.groups[1].group=" + prefix + "-never-deployed",
            "pipelineHealth.lag.groups[1].threshold=0",
            "pipelineHealth.lag.groups[1].forDuration=1s"))) {
      indexer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));

      await().atMost(WAIT).until(() -> !receiver.accepted("ConsumerLag").isEmpty());
      Receiver.Request firing = receiver.accepted("ConsumerLag").get(0);
      assertThat(firing.status()).isEqualTo("firing");
      assertThat(firing.annotation("consumer_group")).isEqualTo(group);
      assertThat(firing.annotation("lag")).isEqualTo((RECORDS - 10) + " records");
      assertThat(firing.annotation("summary")).contains(group).contains((RECORDS - 10) + " records")
          .contains(topic);
      String byGroup = "group=\"" + group + "\"";
      assertThat(engine.meter("kube_observe_alerts_consumer_lag_records", byGroup)).isEqualTo(RECORDS - 10);
      assertThat(engine.meter("kube_observe_alerts_consumer_lag_read_failures_total", byGroup)).isZero();

      indexer.commitSync(Map.of(partition, new OffsetAndMetadata(RECORDS)));
      await().atMost(WAIT).until(() -> receiver.accepted("ConsumerLag").size() >= 2);
      // a few more checks of the caught-up group: nothing further is sent
      await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
      assertThat(receiver.accepted("ConsumerLag")).extracting(Receiver.Request::status)
          .containsExactly("firing", "resolved");
      assertThat(receiver.accepted("ConsumerLag")).extracting(Receiver.Request::fingerprint)
          .containsOnly(firing.fingerprint());
      assertThat(engine.meter("kube_observe_alerts_consumer_lag_records", byGroup)).isZero();
    }
  }
}
