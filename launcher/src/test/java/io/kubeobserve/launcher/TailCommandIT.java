package io.kubeobserve.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

@WithKafka
class TailCommandIT {

  @Test
  void printsEachRecordAsAJsonLineWithItsOtlpValueDecoded(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(Set.of(new NewTopic("tail-logs", 1, (short) 1))).all().get();
    }
    ExportLogsServiceRequest batch = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, "it"))
            .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, "api-0")))
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
            .setBody(OtlpValues.text("hello from api-0"))
            .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, RecordUid.logLine("1:2", 0))))))
        .build();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("tail-logs", "pod-uid-1".getBytes(StandardCharsets.UTF_8),
          OtlpCodec.encodeLogs(batch))).get();
      producer.send(new ProducerRecord<>("tail-logs", "pod-uid-2".getBytes(StandardCharsets.UTF_8),
          "{\"log\":\"not otlp\"}".getBytes(StandardCharsets.UTF_8))).get();
    }

    CommandLineTester result = CommandLineTester.run("tail", "--topic", "tail-logs", "--max", "2",
        "--set", "kafka.bootstrapServers=" + kafka.bootstrapServers(), "--set", "kafka.topics.logs=tail-logs");

    assertThat(result.exitCode()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertThat(first.get("topic").asText()).isEqualTo("tail-logs");
    assertThat(first.get("offset").asLong()).isZero();
    assertThat(first.get("key").asText()).isEqualTo("pod-uid-1");
    JsonNode record = first.at("/value/resourceLogs/0/scopeLogs/0/logRecords/0");
    assertThat(record.at("/body/stringValue").asText()).isEqualTo("hello from api-0");
    assertThat(first.at("/value/resourceLogs/0/resource/attributes/1/value/stringValue").asText()).isEqualTo("api-0");
    JsonNode second = json.readTree(lines.get(1));
    assertThat(second.get("value_error").asText()).startsWith("not an OTLP ExportLogsServiceRequest");
    assertThat(new String(java.util.Base64.getDecoder().decode(second.get("value_base64").asText()), StandardCharsets.UTF_8))
        .isEqualTo("{\"log\":\"not otlp\"}");
  }

  @Test
  void aMissingTopicIsAnError(EmbeddedKafka kafka) {
    CommandLineTester result = CommandLineTester.run("tail", "--topic", "no-such-topic", "--max", "1",
        "--set", "kafka.bootstrapServers=" + kafka.bootstrapServers());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("kube-observe tail: topic no-such-topic does not exist\n");
  }
}
