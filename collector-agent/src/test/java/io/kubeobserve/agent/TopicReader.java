package io.kubeobserve.agent;

import io.kubeobserve.core.contract.OtlpCodec;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from its beginning as a user would, decoding the OTLP values. */
final class TopicReader implements AutoCloseable {

  /** One log record read from the events topic, attributes flattened to text. */
  record Event(String key, Map<String, String> resource, Map<String, String> attributes, String body,
      List<String> lastLogLines) {
    String eventName() {
      return attributes.get("event.name");
    }

    String uid() {
      return attributes.get("log.record.uid");
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private final List<String> keys = new CopyOnWriteArrayList<>();

  TopicReader(String bootstrapServers, String topic) {
    consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "group.id", "reader-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest", "max.partition.fetch.bytes", 8 << 20, "fetch.max.bytes", 16 << 20),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
  }

  /** Polls once and returns every event read so far. */
  List<Event> events() throws Exception {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      String key = new String(record.key(), StandardCharsets.UTF_8);
      for (ResourceLogs resourceLogs : OtlpCodec.decodeLogs(record.value()).getResourceLogsList()) {
        Map<String, String> resource = flatten(resourceLogs.getResource().getAttributesList());
        for (LogRecord log : resourceLogs.getScopeLogs(0).getLogRecordsList()) {
          List<String> lines = new ArrayList<>();
          for (KeyValue kv : log.getAttributesList()) {
            if (kv.getValue().hasArrayValue()) {
              kv.getValue().getArrayValue().getValuesList().forEach(v -> lines.add(v.getStringValue()));
            }
          }
          events.add(new Event(key, resource, flatten(log.getAttributesList()), log.getBody().getStringValue(), lines));
        }
      }
    }
    return List.copyOf(events);
  }

  /** Polls once and returns every metrics record read so far. */
  List<ExportMetricsServiceRequest> metrics() throws Exception {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      keys.add(new String(record.key(), StandardCharsets.UTF_8));
      metrics.add(OtlpCodec.decodeMetrics(record.value()));
    }
    return List.copyOf(metrics);
  }

  List<String> keys() {
    return List.copyOf(keys);
  }

  static Map<String, String> flatten(List<KeyValue> attributes) {
    Map<String, String> flat = new LinkedHashMap<>();
    for (KeyValue kv : attributes) {
      AnyValue value = kv.getValue();
      flat.put(kv.getKey(), value.hasIntValue() ? Long.toString(value.getIntValue())
          : value.hasStringValue() ? value.getStringValue() : value.hasBoolValue()
          ? Boolean.toString(value.getBoolValue()) : value.toString());
    }
    return flat;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
