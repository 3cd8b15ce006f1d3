package io.kubeobserve.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OtlpCodecTest {

  static ExportLogsServiceRequest containerLines() {
    Resource resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, "prod-eu"))
        .addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, "payments"))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, "api-7d4b9c-x2x7k"))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_UID, "0e3b5c5e-6f7a-4b1e-9a43-2d7f0c1a5b11"))
        .addAttributes(OtlpValues.string(Attributes.K8S_CONTAINER_NAME, "api"))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_RESTART_COUNT, 2))
        .build();
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    String[] lines = {"GET /healthz 200", "java.lang.OutOfMemoryError: Java heap space\n\tat a.B.c(B.java:10)", "ünïcödé ✓"};
    for (int i = 0; i < lines.length; i++) {
      scope.addLogRecords(LogRecord.newBuilder()
          .setTimeUnixNano(1_700_000_000_123_456_789L + i)
          .setObservedTimeUnixNano(1_700_000_001_000_000_000L)
          .setBody(OtlpValues.text(lines[i]))
          .addAttributes(OtlpValues.string(Attributes.LOG_IOSTREAM, i == 1 ? "stderr" : "stdout"))
          .addAttributes(OtlpValues.string(Attributes.LOG_FILE_PATH, "/var/log/pods/payments_api/api/2.log"))
          .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, RecordUid.logLine("2049:131:ab12", 100L * i))));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope))
        .build();
  }

  static ExportMetricsServiceRequest nodeMetrics() {
    Resource resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, "prod-eu"))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, "node-a"))
        .build();
    Metric workingSet = Metric.newBuilder()
        .setName("container_memory_working_set_bytes")
        .setDescription("Current working set of the container in bytes")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
            .setTimeUnixNano(1_700_000_000_000_000_000L)
            .setAsDouble(1.2345678e8)
            .addAttributes(OtlpValues.string("namespace", "payments"))
            .addAttributes(OtlpValues.string("pod", "api-7d4b9c-x2x7k"))
            .addAttributes(OtlpValues.string("container", "api"))))
        .build();
    Metric cpu = Metric.newBuilder()
        .setName("container_cpu_usage_seconds_total")
        .setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L).setAsDouble(812.5)))
        .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(workingSet).addMetrics(cpu)))
        .build();
  }

  @Test
  void logsBatchDecodesToWhatWasEncoded() throws Exception {
    ExportLogsServiceRequest batch = containerLines();

    ExportLogsServiceRequest decoded = OtlpCodec.decodeLogs(OtlpCodec.encodeLogs(batch));

    assertThat(decoded).isEqualTo(batch);
    assertThat(decoded.getResourceLogs(0).getScopeLogs(0).getLogRecords(2).getBody().getStringValue())
        .isEqualTo("ünïcödé ✓");
  }

  @Test
  void metricsBatchDecodesToWhatWasEncoded() throws Exception {
    ExportMetricsServiceRequest batch = nodeMetrics();

    ExportMetricsServiceRequest decoded = OtlpCodec.decodeMetrics(OtlpCodec.encodeMetrics(batch));

    assertThat(decoded).isEqualTo(batch);
    assertThat(decoded.getResourceMetrics(0).getScopeMetrics(0).getMetrics(1).getSum().getIsMonotonic()).isTrue();
  }

  @Test
  void encodingRefusesRecordsThatBreakTheContract() {
    ExportLogsServiceRequest noUid = containerLines().toBuilder()
        .setResourceLogs(0, containerLines().getResourceLogs(0).toBuilder()
            .setScopeLogs(0, ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder().setBody(OtlpValues.text("x")))))
        .build();
    ExportMetricsServiceRequest noCluster = nodeMetrics().toBuilder()
        .setResourceMetrics(0, nodeMetrics().getResourceMetrics(0).toBuilder().setResource(Resource.getDefaultInstance()))
        .build();

    assertThatThrownBy(() -> OtlpCodec.encodeLogs(noUid)).hasMessageContaining("log record without log.record.uid");
    assertThatThrownBy(() -> OtlpCodec.encodeMetrics(noCluster)).hasMessageContaining("resource without k8s.cluster.name");
  }

  @Test
  void bytesThatAreNotOtlpAreADecodeError() {
    byte[] json = "{\"log\":\"hello\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> OtlpCodec.decodeLogs(json))
        .isInstanceOf(RecordDecodeException.class)
        .hasMessageStartingWith("not an OTLP ExportLogsServiceRequest");
    assertThatThrownBy(() -> OtlpCodec.decodeMetrics(null))
        .isInstanceOf(RecordDecodeException.class)
        .hasMessageContaining("tombstone");
  }
}
