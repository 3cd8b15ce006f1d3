package io.kubeobserve.router.support;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code k8s-logs} records as collector-agent's LogTailer produces them: one batch of one
 * container's CRI lines, resource = cluster, node, namespace, pod, pod UID, container, restart
 * count (plus the workload owner the contract adds), each line with {@code log.file.path},
 * {@code log.record.uid} = hash of (file identity, byte offset), {@code log.iostream}, the line's
 * time and its message; keyed by pod UID.
 */
public final class AgentRecords {

  /** The pod of the records. */
  public record Pod(String namespace, String name, String uid, String container, String deployment, String node) {
    public String logPath() {
      return "/var/log/pods/" + namespace + "_" + name + "_" + uid + "/" + container + "/0.log";
    }
  }

  private AgentRecords() {}

  public static Resource resource(Pod pod) {
    return Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, "test-cluster"))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, pod.node()))
        .addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, pod.namespace()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, pod.name()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_UID, pod.uid()))
        .addAttributes(OtlpValues.string(Attributes.K8S_CONTAINER_NAME, pod.container()))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_RESTART_COUNT, 0))
        .addAttributes(OtlpValues.string(Attributes.K8S_DEPLOYMENT_NAME, pod.deployment()))
        .build();
  }

  /** A line at {@code offset} of the pod's file (identity {@code fileIdentity}). */
  public static LogRecord line(Pod pod, String fileIdentity, long offset, Instant time, String stream,
      String message, KeyValue... extra) {
    LogRecord.Builder record = LogRecord.newBuilder()
        .setTimeUnixNano(time.getEpochSecond() * 1_000_000_000L + time.getNano())
        .setObservedTimeUnixNano(time.getEpochSecond() * 1_000_000_000L + time.getNano() + 5_000_000)
        .addAttributes(OtlpValues.string(Attributes.LOG_FILE_PATH, pod.logPath()))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, RecordUid.logLine(fileIdentity, offset)))
        .setBody(OtlpValues.text(message))
        .addAttributes(OtlpValues.string(Attributes.LOG_IOSTREAM, stream));
    for (KeyValue attribute : extra) {
      record.addAttributes(attribute);
    }
    return record.build();
  }

  public static ProducerRecord<byte[], byte[]> batch(String topic, Pod pod, List<LogRecord> lines) {
    return batch(topic, pod, resource(pod), lines);
  }

  public static ProducerRecord<byte[], byte[]> batch(String topic, Pod pod, Resource resource, List<LogRecord> lines) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder().addAllLogRecords(lines);
    scope.getScopeBuilder().setName("io.kubeobserve.agent.logs");
    ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope)).build();
    return new ProducerRecord<>(topic, pod.uid().getBytes(StandardCharsets.UTF_8), OtlpCodec.encodeLogs(request));
  }
}
