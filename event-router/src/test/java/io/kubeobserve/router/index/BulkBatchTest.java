package io.kubeobserve.router.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.router.support.AgentRecords;
import io.kubeobserve.router.support.AgentRecords.Pod;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BulkBatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pod POD = new Pod("shop", "web-1", "uid-1", "web", "web", "node-a");
  private static final DataStream STREAM = new DataStream("kubernetes.container_logs", "default");

  private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> record, long offset) {
    return new ConsumerRecord<>(record.topic(), 2, offset, record.key(), record.value());
  }

  @Test
  void aRecordBecomesCreateActionsWithItsRecordIdsAndDocumentsInTheTemplateLayout() throws Exception {
    BulkBatch batch = new BulkBatch(1024);
    ProducerRecord<byte[], byte[]> record = AgentRecords.batch("k8s-logs", POD, List.of(
        AgentRecords.line(POD, "1:2", 0, Instant.parse("2024-11-20T09:25:00.000000001Z"), "stderr", "boom \"quoted\"",
            OtlpValues.string("k8s.pod.label.app", "web"), OtlpValues.string("k8s.pod.label.app.kubernetes.io/name",
                "shop")),
        AgentRecords.line(POD, "1:2", 40, Instant.parse("2024-11-20T09:25:01Z"), "stdout", "ok")));
    assertThat(batch.add(consumed(record, 41), STREAM, 0)).isEmpty();

    assertThat(batch.documentCount()).isEqualTo(2);
    assertThat(batch.nextOffsets()).containsEntry(new TopicPartition("k8s-logs", 2), 42L);
    String[] lines = new String(batch.array(), 0, batch.bytes(), StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(4);
    JsonNode action = JSON.readTree(lines[0]).path("create");
    JsonNode document = JSON.readTree(lines[1]);
    assertThat(action.path("_index").asText()).isEqualTo("logs-kubernetes.container_logs-default");
    assertThat(action.path("_id").asText()).isEqualTo(document.path("attributes").path(Attributes.LOG_RECORD_UID)
        .asText()).isEqualTo(batch.documents().get(0).id());
    assertThat(document.path("@timestamp").asText()).isEqualTo("2024-11-20T09:25:00.000000001Z");
    assertThat(document.path("observed_timestamp").asText()).isEqualTo("2024-11-20T09:25:00.005000001Z");
    assertThat(document.path("message").asText()).isEqualTo("boom \"quoted\"");
    assertThat(document.path("data_stream").path("dataset").asText()).isEqualTo("kubernetes.container_logs");
    JsonNode resource = document.path("resource").path("attributes");
    assertThat(resource.path("k8s.namespace.name").asText()).isEqualTo("shop");
    assertThat(resource.path("k8s.container.restart_count").asInt()).isZero();
    assertThat(resource.path("k8s.deployment.name").asText()).isEqualTo("web");
    JsonNode attributes = document.path("attributes");
    assertThat(attributes.path("log.iostream").asText()).isEqualTo("stderr");
    assertThat(attributes.path("k8s.pod.label.app").asText()).isEqualTo("web");
    assertThat(attributes.path("k8s.pod.label.app.kubernetes.io/name").asText()).isEqualTo("shop");
    assertThat(document.path("scope").path("name").asText()).isEqualTo("io.kubeobserve.agent.logs");

    byte[] second = batch.bodyOf(List.of(batch.documents().get(1)));
    assertThat(new String(second, StandardCharsets.UTF_8)).isEqualTo(lines[2] + "\n" + lines[3] + "\n");
  }

  @Test
  void aValueThatIsNotOtlpIsReportedAndItsOffsetStillCounts() {
    BulkBatch batch = new BulkBatch(1024);
    ConsumerRecord<byte[], byte[]> garbage = new ConsumerRecord<>("k8s-logs", 0, 7, null, new byte[] {(byte) 0xff, 1});
    assertThat(batch.add(garbage, STREAM, 0)).hasValueSatisfying(error -> assertThat(error).contains("OTLP"));
    assertThat(batch.documentCount()).isZero();
    assertThat(batch.nextOffsets()).containsEntry(new TopicPartition("k8s-logs", 0), 8L);
  }

  @Test
  void timestampsKeepNanosecondsAcrossSeconds() {
    Timestamps timestamps = new Timestamps();
    assertThat(new String(timestamps.format(0))).isEqualTo("1970-01-01T00:00:00.000000000Z");
    assertThat(new String(timestamps.format(1_732_094_700_999_999_999L))).isEqualTo("2024-11-20T09:25:00.999999999Z");
    assertThat(new String(timestamps.format(1_732_094_701_000_000_000L))).isEqualTo("2024-11-20T09:25:01.000000000Z");
  }
}
