package io.kubeobserve.router.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes one OTLP log record as an Elasticsearch document, in the layout of the index templates
 * ({@code mappings.json}):
 *
 * <pre>{@code
 * {"@timestamp": "<time, else observed time>", "observed_timestamp": "...",
 *  "data_stream": {"type": "logs", "dataset": "...", "namespace": "..."},
 *  "message": "<body>", "severity_text": "...", "severity_number": 9,
 *  "trace_id": "...", "span_id": "...", "scope": {"name": "..."},
 *  "resource": {"attributes": {"k8s.namespace.name": "...", ...}},
 *  "attributes": {"log.record.uid": "...", "log.iostream": "stdout", ...}}
 * }</pre>
 *
 * <p>Attribute names stay as they are on the record (dotted, under objects with {@code
 * subobjects: false}), so pod labels such as {@code app} and {@code app.kubernetes.io/name} do
 * not collide. Not thread-safe: one encoder per bulk request being built.
 */
final class DocumentEncoder {

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final HexFormat HEX = HexFormat.of();

  private final Timestamps timestamps = new Timestamps();
  private final JsonGenerator generator;

  DocumentEncoder(OutputStream out) {
    try {
      this.generator = JSON.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The create action line of a document: {@code {"create":{"_index":"...","_id":"..."}}}. */
  void writeAction(String index, String id) throws IOException {
    generator.writeStartObject();
    generator.writeFieldName("create");
    generator.writeStartObject();
    generator.writeStringField("_index", index);
    generator.writeStringField("_id", id);
    generator.writeEndObject();
    generator.writeEndObject();
    generator.writeRaw('\n');
  }

  /** The document of one log record, followed by a newline. */
  void writeDocument(DataStream stream, Resource resource, InstrumentationScope scope, LogRecord record,
      long ingestNanos) throws IOException {
    JsonGenerator g = generator;
    g.writeStartObject();
    long observed = record.getObservedTimeUnixNano();
    long time = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : observed != 0 ? observed : ingestNanos;
    g.writeFieldName("@timestamp");
    g.writeString(timestamps.format(time), 0, Timestamps.length());
    if (observed != 0) {
      g.writeFieldName("observed_timestamp");
      g.writeString(timestamps.format(observed), 0, Timestamps.length());
    }
    g.writeFieldName("data_stream");
    g.writeStartObject();
    g.writeStringField("type", DataStream.TYPE);
    g.writeStringField("dataset", stream.dataset());
    g.writeStringField("namespace", stream.namespace());
    g.writeEndObject();
    if (record.hasBody()) {
      g.writeFieldName("message");
      writeText(record.getBody());
    }
    if (!record.getSeverityText().isEmpty()) {
      g.writeStringField("severity_text", record.getSeverityText());
    }
    if (record.getSeverityNumberValue() != 0) {
      g.writeNumberField("severity_number", record.getSeverityNumberValue());
    }
    if (!record.getTraceId().isEmpty()) {
      g.writeStringField("trace_id", HEX.formatHex(record.getTraceId().toByteArray()));
    }
    if (!record.getSpanId().isEmpty()) {
      g.writeStringField("span_id", HEX.formatHex(record.getSpanId().toByteArray()));
    }
    if (!scope.getName().isEmpty()) {
      g.writeFieldName("scope");
      g.writeStartObject();
      g.writeStringField("name", scope.getName());
      if (!scope.getVersion().isEmpty()) {
        g.writeStringField("version", scope.getVersion());
      }
      g.writeEndObject();
    }
    g.writeFieldName("resource");
    g.writeStartObject();
    writeAttributes("attributes", resource.getAttributesList());
    g.writeEndObject();
    writeAttributes("attributes", record.getAttributesList());
    g.writeEndObject();
    g.writeRaw('\n');
  }

  /** Makes what was written so far visible in the output stream. */
  void flush() throws IOException {
    generator.flush();
  }

  private void writeAttributes(String field, List<KeyValue> attributes) throws IOException {
    generator.writeFieldName(field);
    generator.writeStartObject();
    // OTLP allows repeated keys; the last one wins, as in OtlpValues.attribute
    int size = attributes.size();
    for (int i = 0; i < size; i++) {
      KeyValue attribute = attributes.get(i);
      if (repeatedLater(attributes, i)) {
        continue;
      }
      generator.writeFieldName(attribute.getKey());
      writeValue(attribute.getValue());
    }
    generator.writeEndObject();
  }

  private static boolean repeatedLater(List<KeyValue> attributes, int index) {
    String key = attributes.get(index).getKey();
    for (int j = index + 1; j < attributes.size(); j++) {
      if (attributes.get(j).getKey().equals(key)) {
        return true;
      }
    }
    return false;
  }

  private void writeValue(AnyValue value) throws IOException {
    switch (value.getValueCase()) {
      case STRING_VALUE -> generator.writeString(value.getStringValue());
      case INT_VALUE -> generator.writeNumber(value.getIntValue());
      case DOUBLE_VALUE -> generator.writeNumber(value.getDoubleValue());
      case BOOL_VALUE -> generator.writeBoolean(value.getBoolValue());
      case BYTES_VALUE -> generator.writeString(java.util.Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        generator.writeStartArray();
        for (AnyValue element : value.getArrayValue().getValuesList()) {
          if (element.hasKvlistValue() || element.hasArrayValue()) {
            generator.writeString(OtlpJson.text(element));
          } else {
            writeValue(element);
          }
        }
        generator.writeEndArray();
      }
      case KVLIST_VALUE -> generator.writeString(OtlpJson.text(value));
      default -> generator.writeNull();
    }
  }

  /** A body as text: strings as they are, anything else as its JSON form. */
  private void writeText(AnyValue value) throws IOException {
    if (value.hasStringValue()) {
      generator.writeString(value.getStringValue());
    } else {
      generator.writeString(OtlpJson.text(value));
    }
  }
}
