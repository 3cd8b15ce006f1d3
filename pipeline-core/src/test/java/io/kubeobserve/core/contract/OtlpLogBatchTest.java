package io.kubeobserve.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpLogBatchTest {

  private static final String SCOPE = "io.kubeobserve.agent.logs";
  private static final String FILE = "2049:131:64:1f2e3d4c";
  private static final String PATH = "/var/log/pods/payments_api-7d4b9c-x2x7k_0e3b5c5e/api/2.log";

  /** One record as the agent writes it: body bytes, time (0: none), stream (null: none), flags. */
  private record Line(byte[] body, long time, String stream, boolean partial, boolean unparsed, long offset) {}

  private static Resource resource(String pod) {
    return Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, "prod-eu"))
        .addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, "payments"))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, pod))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_RESTART_COUNT, 2))
        .addAttributes(OtlpValues.string("k8s.pod.label.app", "ünïcödé ✓"))
        .build();
  }

  private static List<Line> lines() {
    List<Line> lines = new ArrayList<>();
    lines.add(new Line(bytes("GET /healthz 200"), 1_700_000_000_123_456_789L, "stdout", false, false, 0));
    lines.add(new Line(bytes("ünïcödé ✓ 日本語 \uD83D\uDE00"), 1_700_000_000_223_456_789L, "stderr", false, false, 230));
    // invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong form, an encoded surrogate
    lines.add(new Line(new byte[] {'a', (byte) 0x80, 'b', (byte) 0xE2, (byte) 0x82, 'c', (byte) 0xC0, (byte) 0xAF,
        (byte) 0xED, (byte) 0xA0, (byte) 0x80}, 1_700_000_000_323_456_789L, "stdout", false, false, 512));
    lines.add(new Line(new byte[0], 1_700_000_000_423_456_789L, "stdout", false, false, 700));
    lines.add(new Line(bytes("x".repeat(20_000)), 1_700_000_000_523_456_789L, "stdout", true, false, 1_000));
    lines.add(new Line(bytes("y".repeat(3_000_000)), 1_700_000_000_623_456_789L, "stderr", true, false, 21_000));
    lines.add(new Line(bytes("not a CRI line"), 0, null, false, true, 3_021_000));
    lines.add(new Line(new byte[0], 0, null, false, true, 9_999_999_999L));
    return lines;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** What the generated builders give for the same records (the agent's encoding before this class). */
  private static LogRecord generated(Line line, long observed) {
    ByteString body = ByteString.copyFrom(line.body());
    LogRecord.Builder record = LogRecord.newBuilder().setObservedTimeUnixNano(observed)
        .setBody(body.isValidUtf8() ? AnyValue.newBuilder().setStringValueBytes(body).build()
            : OtlpValues.text(new String(line.body(), StandardCharsets.UTF_8)));
    if (line.time() != 0) {
      record.setTimeUnixNano(line.time());
    }
    if (line.stream() != null) {
      record.addAttributes(OtlpValues.string(Attributes.LOG_IOSTREAM, line.stream()));
    }
    record.addAttributes(OtlpValues.string(Attributes.LOG_FILE_PATH, PATH))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, RecordUid.logLine(FILE, line.offset())));
    if (line.partial()) {
      record.addAttributes(OtlpValues.bool(Attributes.KUBE_OBSERVE_LOG_PARTIAL, true));
    }
    if (line.unparsed()) {
      record.addAttributes(OtlpValues.bool(Attributes.KUBE_OBSERVE_LOG_UNPARSED, true));
    }
    return record.build();
  }

  private static ExportLogsServiceRequest generated(Resource resource, List<Line> lines, long observed) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    scope.getScopeBuilder().setName(SCOPE);
    lines.forEach(line -> scope.addLogRecords(generated(line, observed)));
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope))
        .build();
  }

  private static void write(OtlpLogBatch batch, RecordUid.LogLines ids, Line line, long observed) {
    OtlpLogBatch.Attribute path = OtlpLogBatch.Attribute.string(Attributes.LOG_FILE_PATH, PATH);
    batch.startRecord(line.time(), line.body(), 0, line.body().length);
    if (line.stream() != null) {
      batch.attribute(OtlpLogBatch.Attribute.string(Attributes.LOG_IOSTREAM, line.stream()));
    }
    batch.attribute(path);
    batch.uid(ids, line.offset());
    if (line.partial()) {
      batch.attribute(OtlpLogBatch.Attribute.bool(Attributes.KUBE_OBSERVE_LOG_PARTIAL, true));
    }
    if (line.unparsed()) {
      batch.attribute(OtlpLogBatch.Attribute.bool(Attributes.KUBE_OBSERVE_LOG_UNPARSED, true));
    }
    batch.endRecord(observed);
  }

  @Test
  void writesTheBytesTheGeneratedClassesWriteForTheSameRecords() throws Exception {
    long observed = 1_700_000_001_000_000_000L;
    OtlpLogBatch batch = new OtlpLogBatch(SCOPE, resource("api-7d4b9c-x2x7k"), 64);
    RecordUid.LogLines ids = new RecordUid.LogLines(FILE);
    lines().forEach(line -> write(batch, ids, line, observed));

    byte[] written = batch.toByteArray();

    ExportLogsServiceRequest expected = generated(resource("api-7d4b9c-x2x7k"), lines(), observed);
    assertThat(batch.records()).isEqualTo(lines().size());
    assertThat(written).isEqualTo(expected.toByteArray());
    // LogsData has the same field 1 (resource_logs) as the request: the standard decoding of the topic's records
    LogsData decoded = LogsData.parseFrom(written);
    List<LogRecord> records = decoded.getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertThat(records).hasSize(lines().size());
    assertThat(records.get(1).getBody().getStringValue()).isEqualTo("ünïcödé ✓ 日本語 \uD83D\uDE00");
    assertThat(records.get(2).getBody().getStringValue()).startsWith("a\uFFFDb\uFFFDc")
        .isEqualTo(new String(lines().get(2).body(), StandardCharsets.UTF_8));
    assertThat(records.get(3).getBody().hasStringValue()).isTrue();
    assertThat(records.get(3).getBody().getStringValue()).isEmpty();
    assertThat(records.get(5).getBody().getStringValue()).hasSize(3_000_000);
    assertThat(OtlpValues.attribute(records.get(6).getAttributesList(), Attributes.KUBE_OBSERVE_LOG_UNPARSED))
        .contains(AnyValue.newBuilder().setBoolValue(true).build());
    assertThat(records.get(6).getTimeUnixNano()).isZero();
    assertThat(OtlpValues.stringAttribute(records.get(7).getAttributesList(), Attributes.LOG_RECORD_UID))
        .contains(RecordUid.logLine(FILE, 9_999_999_999L));
  }

  @Test
  void isFilledAgainAfterClearAndTrimWithTheResourceItHasAtEncoding() throws Exception {
    OtlpLogBatch batch = new OtlpLogBatch(SCOPE, resource("api-1"), 16);
    RecordUid.LogLines ids = new RecordUid.LogLines(FILE);
    write(batch, ids, lines().get(0), 5);
    batch.toByteArray();
    batch.clear();
    assertThat(batch.records()).isZero();
    assertThat(batch.size()).isZero();

    write(batch, ids, lines().get(1), 0);
    batch.trim(16);
    batch.resource(resource("api-2"));
    write(batch, ids, lines().get(2), 0);

    assertThat(batch.toByteArray())
        .isEqualTo(generated(resource("api-2"), lines().subList(1, 3), 0).toByteArray());
    assertThat(ExportLogsServiceRequest.parseFrom(batch.toByteArray()).getResourceLogs(0).getScopeLogs(0)
        .getLogRecordsCount()).isEqualTo(2);
  }

  @Test
  void keepsTheContract() {
    assertThatThrownBy(() -> new OtlpLogBatch(SCOPE, Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, "api-1")).build(), 16))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Attributes.K8S_CLUSTER_NAME);

    OtlpLogBatch batch = new OtlpLogBatch(SCOPE, resource("api-1"), 16);
    batch.startRecord(1, bytes("no id"), 0, 5);
    batch.attribute(OtlpLogBatch.Attribute.string(Attributes.LOG_FILE_PATH, PATH));
    assertThatThrownBy(() -> batch.endRecord(2))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(Attributes.LOG_RECORD_UID);
    assertThat(batch.records()).isZero();
    assertThat(batch.size()).isZero();
    assertThatThrownBy(() -> batch.uid(new RecordUid.LogLines(FILE), 0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void attributesAreEncodedAsTheGeneratedClassesEncodeThem() throws Exception {
    KeyValue parsed = LogRecord.parseFrom(attributeField(OtlpLogBatch.Attribute.bool("flag", false)))
        .getAttributes(0);
    assertThat(parsed).isEqualTo(OtlpValues.bool("flag", false));
    assertThat(LogRecord.parseFrom(attributeField(OtlpLogBatch.Attribute.string("k", "v".repeat(300))))
        .getAttributes(0)).isEqualTo(OtlpValues.string("k", "v".repeat(300)));
  }

  /** A record holding only the attribute (and an id), encoded, minus what the generated record adds. */
  private static byte[] attributeField(OtlpLogBatch.Attribute attribute) throws Exception {
    OtlpLogBatch batch = new OtlpLogBatch(SCOPE, resource("api-1"), 16);
    batch.startRecord(0, new byte[0], 0, 0);
    batch.attribute(attribute);
    batch.uid(new RecordUid.LogLines(FILE), 0);
    batch.endRecord(0);
    return ExportLogsServiceRequest.parseFrom(batch.toByteArray()).getResourceLogs(0).getScopeLogs(0)
        .getLogRecords(0).toByteArray();
  }
}
