package io.kubeobserve.core.contract;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * Record values of the Kafka contract: {@code otlp_proto}, the encoding of the OpenTelemetry
 * Collector's Kafka exporter and receiver, so a Collector can read and write our topics.
 *
 * <p>Encoding checks what the contract promises every consumer: each resource carries
 * {@code k8s.cluster.name} and each log record {@code log.record.uid}. A producer that breaks it
 * gets an {@link IllegalArgumentException}, not a topic with records consumers cannot trust.
 */
public final class OtlpCodec {

  private OtlpCodec() {}

  private static final ByteString LOG_RECORD_UID_BYTES = ByteString.copyFromUtf8(Attributes.LOG_RECORD_UID);

  public static byte[] encodeLogs(ExportLogsServiceRequest request) {
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      requireClusterName(resourceLogs.getResource());
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        for (LogRecord record : scopeLogs.getLogRecordsList()) {
          if (!hasUid(record)) {
            throw new IllegalArgumentException("log record without " + Attributes.LOG_RECORD_UID + ": " + record);
          }
        }
      }
    }
    return request.toByteArray();
  }

  /**
   * Whether the record has {@code log.record.uid}: an indexed loop over the keys' bytes, as it runs for
   * every record encoded ({@code getKey()} would turn byte keys back into strings, dearer to write).
   */
  private static boolean hasUid(LogRecord record) {
    for (int i = record.getAttributesCount() - 1; i >= 0; i--) {
      if (LOG_RECORD_UID_BYTES.equals(record.getAttributes(i).getKeyBytes())) {
        return true;
      }
    }
    return false;
  }

  public static ExportLogsServiceRequest decodeLogs(byte[] value) throws RecordDecodeException {
    try {
      return ExportLogsServiceRequest.parseFrom(nonNull(value));
    } catch (InvalidProtocolBufferException e) {
      throw new RecordDecodeException("not an OTLP ExportLogsServiceRequest: " + e.getMessage(), e);
    }
  }

  public static byte[] encodeMetrics(ExportMetricsServiceRequest request) {
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      requireClusterName(resourceMetrics.getResource());
    }
    return request.toByteArray();
  }

  public static ExportMetricsServiceRequest decodeMetrics(byte[] value) throws RecordDecodeException {
    try {
      return ExportMetricsServiceRequest.parseFrom(nonNull(value));
    } catch (InvalidProtocolBufferException e) {
      throw new RecordDecodeException("not an OTLP ExportMetricsServiceRequest: " + e.getMessage(), e);
    }
  }

  private static byte[] nonNull(byte[] value) throws RecordDecodeException {
    if (value == null) {
      throw new RecordDecodeException("record has no value (a tombstone)", null);
    }
    return value;
  }

  /** Throws unless the resource carries {@code k8s.cluster.name}, as the contract promises. */
  static void requireClusterName(Resource resource) {
    if (OtlpValues.attribute(resource.getAttributesList(), Attributes.K8S_CLUSTER_NAME).isEmpty()) {
      throw new IllegalArgumentException("resource without " + Attributes.K8S_CLUSTER_NAME + ": " + resource);
    }
  }
}
