package io.kubeobserve.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.RecordDecodeException;
import io.kubeobserve.core.contract.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One Kafka record as a JSON line, as kcat would show it, with the value decoded by its topic's
 * contract: OTLP logs on the logs and events topics, OTLP metrics on the metrics topic (in the
 * OTLP/JSON mapping), UTF-8 text or base64 otherwise. A value that does not decode is shown as
 * base64 with the decoding error, never dropped.
 */
final class RecordJson {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFormat.Printer OTLP = JsonFormat.printer().omittingInsignificantWhitespace();

  private final Topics topics;

  RecordJson(Topics topics) {
    this.topics = topics;
  }

  String render(ConsumerRecord<byte[], byte[]> record) throws JsonProcessingException {
    ObjectNode line = JSON.createObjectNode();
    line.put("topic", record.topic());
    line.put("partition", record.partition());
    line.put("offset", record.offset());
    line.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    putBytes(line, "key", record.key());
    ObjectNode headers = line.putObject("headers");
    for (Header header : record.headers()) {
      putBytes(headers, header.key(), header.value());
    }
    putValue(line, record);
    return JSON.writeValueAsString(line);
  }

  private void putValue(ObjectNode line, ConsumerRecord<byte[], byte[]> record) throws JsonProcessingException {
    String topic = record.topic();
    try {
      Message decoded = null;
      if (topic.equals(topics.logs()) || topic.equals(topics.events())) {
        decoded = OtlpCodec.decodeLogs(record.value());
      } else if (topic.equals(topics.metrics())) {
        decoded = OtlpCodec.decodeMetrics(record.value());
      }
      if (decoded != null) {
        line.set("value", JSON.readTree(OTLP.print(decoded)));
        return;
      }
    } catch (RecordDecodeException | InvalidProtocolBufferException e) {
      line.put("value_error", e.getMessage());
      line.put("value_base64", record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()));
      return;
    }
    putBytes(line, "value", record.value());
  }

  /** UTF-8 text as a string; other bytes as {@code <name>_base64}. */
  private static void putBytes(ObjectNode node, String name, byte[] bytes) {
    if (bytes == null) {
      node.putNull(name);
      return;
    }
    try {
      node.put(name, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      node.put(name + "_base64", Base64.getEncoder().encodeToString(bytes));
    }
  }
}
