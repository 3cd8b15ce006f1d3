package io.kubeobserve.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.core.contract.RecordHeaders;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

@WithKafka
class AdapterDeadletterIT {

  @Test
  void aRecordThatIsNotOtlpGoesToTheDeadLetterTopicAndItsOffsetIsCommitted(EmbeddedKafka kafka) throws Exception {
    try (RunningAdapter adapter = RunningAdapter.start(kafka, "deadletter-it", 1)) {
      ProducerRecord<byte[], byte[]> garbage = new ProducerRecord<>(adapter.metricsTopic, 0,
          "node-x".getBytes(StandardCharsets.UTF_8), "{\"not\": \"otlp\"}".getBytes(StandardCharsets.UTF_8));
      garbage.headers().add(RecordHeaders.TRACEPARENT,
          "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
      adapter.produceRaw(garbage);
      adapter.produce(KubeletPayloads.NODE, KubeletPayloads.rebase(KubeletPayloads.cadvisor("deadletter-it"),
          Instant.now(), 0));

      List<ConsumerRecord<byte[], byte[]>> dead = new CopyOnWriteArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
          kafka.bootstrapServers(), "group.id", "deadletter-it-reader", "auto.offset.reset", "earliest"),
          new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of(adapter.deadletterTopic));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
          return !dead.isEmpty();
        });
      }

      ConsumerRecord<byte[], byte[]> letter = dead.get(0);
      assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{\"not\": \"otlp\"}");
      assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("node-x");
      assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.DEADLETTER_ERROR).orElseThrow())
          .startsWith("not an OTLP ExportMetricsServiceRequest: ");
      assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.DEADLETTER_SOURCE_TOPIC))
          .contains(adapter.metricsTopic);
      assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.DEADLETTER_SOURCE_PARTITION)).contains("0");
      assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.DEADLETTER_SOURCE_OFFSET)).contains("0");
      assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.DEADLETTER_SERVICE)).contains("metrics-adapter");
      assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.TRACEPARENT)).isPresent();

      // the good record after it was stored, and both offsets committed
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(adapter.scrape(null).body()).contains("cluster=\"deadletter-it\"");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
          Map<TopicPartition, OffsetAndMetadata> committed =
              admin.listConsumerGroupOffsets("deadletter-it").partitionsToOffsetAndMetadata().get();
          assertThat(committed.get(new TopicPartition(adapter.metricsTopic, 0)).offset()).isEqualTo(2);
        }
      });
      assertThat(adapter.opsMetrics()).containsPattern(
          "kube_observe_adapter_records_total\\{[^}]*outcome=\"deadlettered\"[^}]*} 1\\.0");
    }
  }
}
