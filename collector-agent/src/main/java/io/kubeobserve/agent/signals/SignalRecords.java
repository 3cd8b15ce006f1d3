package io.kubeobserve.agent.signals;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code k8s-events} record of a pod signal: one OTLP log record whose resource carries
 * the pod's attributes (cluster, node, namespace, pod name and UID, container, restart count,
 * container id, labels as {@code k8s.pod.label.<key>}, the annotations listed in {@code logs.annotations}
 * as {@code k8s.pod.annotation.<key>}, the owning workload), and whose attributes
 * are {@code event.name}, {@code log.record.uid}, {@code k8s.object.kind/name/uid} and the signal's
 * own; the body is a sentence for people.
 */
public final class SignalRecords {

  /** The instrumentation scope of the agent's pod signals and heartbeat. */
  public static final String SCOPE = "io.kubeobserve.agent.signals";

  private SignalRecords() {}

  /**
   * The record of one signal of a pod.
   *
   * @param annotations the keys of the pod annotations to copy (the log records' list, {@code logs.annotations})
   */
  public static ExportLogsServiceRequest of(V1Pod pod, PodSignal signal, List<String> lastLogLines,
      List<String> annotations, String clusterName, String nodeName, Instant observed) {
    Resource.Builder resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, clusterName))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, nodeName))
        .addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, pod.getMetadata().getNamespace()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, pod.getMetadata().getName()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_UID, pod.getMetadata().getUid()));
    if (!signal.container().isEmpty()) {
      resource.addAttributes(OtlpValues.string(Attributes.K8S_CONTAINER_NAME, signal.container()));
      resource.addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_RESTART_COUNT, signal.restartCount()));
      containerId(pod, signal.container()).ifPresent(id -> resource.addAttributes(
          OtlpValues.string(Attributes.CONTAINER_ID, id)));
    }
    workload(pod).forEach((key, value) -> resource.addAttributes(OtlpValues.string(key, value)));
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels != null) {
      new java.util.TreeMap<>(labels).forEach((key, value) ->
          resource.addAttributes(OtlpValues.string(Attributes.K8S_POD_LABEL_PREFIX + key, value)));
    }
    Map<String, String> podAnnotations = pod.getMetadata().getAnnotations();
    if (podAnnotations != null) {
      for (String key : annotations) {
        String value = podAnnotations.get(key);
        if (value != null) {
          resource.addAttributes(OtlpValues.string(Attributes.K8S_POD_ANNOTATION_PREFIX + key, value));
        }
      }
    }
    LogRecord.Builder record = LogRecord.newBuilder()
        .setTimeUnixNano(nanos(signal.time()))
        .setObservedTimeUnixNano(nanos(observed))
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
        .setSeverityText("Warning")
        .setEventName(signal.eventName())
        .setBody(OtlpValues.text(signal.body()))
        .addAttributes(OtlpValues.string(Attributes.EVENT_NAME, signal.eventName()))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, signal.occurrenceId()))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_KIND, "Pod"))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_NAME, pod.getMetadata().getName()))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_UID, pod.getMetadata().getUid()))
        .addAllAttributes(signal.attributes());
    if (!lastLogLines.isEmpty()) {
      ArrayValue.Builder lines = ArrayValue.newBuilder();
      lastLogLines.forEach(line -> lines.addValues(AnyValue.newBuilder().setStringValue(line)));
      record.addAttributes(KeyValue.newBuilder().setKey(Attributes.K8S_CONTAINER_TERMINATION_LAST_LOG_LINES)
          .setValue(AnyValue.newBuilder().setArrayValue(lines)));
    }
    ScopeLogs.Builder scope = ScopeLogs.newBuilder().addLogRecords(record);
    scope.getScopeBuilder().setName(SCOPE);
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope)).build();
  }

  private static java.util.Optional<String> containerId(V1Pod pod, String container) {
    List<V1ContainerStatus> statuses = new ArrayList<>();
    if (pod.getStatus().getContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getContainerStatuses());
    }
    if (pod.getStatus().getInitContainerStatuses() != null) {
      statuses.addAll(pod.getStatus().getInitContainerStatuses());
    }
    for (V1ContainerStatus status : statuses) {
      if (container.equals(status.getName()) && status.getContainerID() != null && !status.getContainerID().isEmpty()) {
        String id = status.getContainerID();
        int scheme = id.indexOf("://");
        return java.util.Optional.of(scheme >= 0 ? id.substring(scheme + 3) : id);
      }
    }
    return java.util.Optional.empty();
  }

  /** The owning workload's attributes: ReplicaSet (and its Deployment), StatefulSet, DaemonSet, Job. */
  static Map<String, String> workload(V1Pod pod) {
    Map<String, String> workload = new java.util.LinkedHashMap<>();
    List<V1OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners == null) {
      return workload;
    }
    for (V1OwnerReference owner : owners) {
      if (!Boolean.TRUE.equals(owner.getController())) {
        continue;
      }
      switch (owner.getKind()) {
        case "ReplicaSet" -> {
          workload.put(Attributes.K8S_REPLICASET_NAME, owner.getName());
          String hash = pod.getMetadata().getLabels() == null ? null
              : pod.getMetadata().getLabels().get("pod-template-hash");
          if (hash != null && owner.getName().endsWith("-" + hash)) {
            workload.put(Attributes.K8S_DEPLOYMENT_NAME,
                owner.getName().substring(0, owner.getName().length() - hash.length() - 1));
          }
        }
        case "StatefulSet" -> workload.put(Attributes.K8S_STATEFULSET_NAME, owner.getName());
        case "DaemonSet" -> workload.put(Attributes.K8S_DAEMONSET_NAME, owner.getName());
        case "Job" -> workload.put(Attributes.K8S_JOB_NAME, owner.getName());
        default -> { }
      }
    }
    return workload;
  }

  static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
