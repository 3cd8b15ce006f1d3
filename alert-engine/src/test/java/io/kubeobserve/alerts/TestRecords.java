package io.kubeobserve.alerts;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.EventNames;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.List;

/**
 * Records of {@code k8s-events} and {@code k8s-metrics} as the agent and the router write them
 * (attributes as in collector-agent's SignalRecords and event-router's EventRecords).
 */
public final class TestRecords {

  public static final String CLUSTER = "test-cluster";

  private TestRecords() {}

  /** A pod of a Deployment on a node. */
  public record Pod(String node, String namespace, String name, String uid, String deployment) {
    public static Pod of(String node, String namespace, String name) {
      return new Pod(node, namespace, name, "uid-" + name, name.replaceAll("-[a-z0-9]+-[a-z0-9]+$", ""));
    }
  }

  /** The agent's k8s.container.terminated with reason OOMKilled. */
  public static ExportLogsServiceRequest oomKilled(Pod pod, String container, int restartCount, Instant at,
      List<String> lastLines) {
    LogRecord.Builder record = signal(EventNames.CONTAINER_TERMINATED,
        RecordUid.occurrence(EventNames.CONTAINER_TERMINATED, pod.uid(), container, Integer.toString(restartCount)),
        pod, at, "container " + container + " terminated: OOMKilled (exit code 137)")
        .addAttributes(OtlpValues.string(Attributes.K8S_CONTAINER_TERMINATION_REASON, "OOMKilled"))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_TERMINATION_EXIT_CODE, 137));
    ArrayValue.Builder lines = ArrayValue.newBuilder();
    lastLines.forEach(line -> lines.addValues(AnyValue.newBuilder().setStringValue(line)));
    record.addAttributes(KeyValue.newBuilder().setKey(Attributes.K8S_CONTAINER_TERMINATION_LAST_LOG_LINES)
        .setValue(AnyValue.newBuilder().setArrayValue(lines)));
    return logs(podResource(pod, container, restartCount), record);
  }

  /** The agent's k8s.pod.evicted. */
  public static ExportLogsServiceRequest evicted(Pod pod, String resource, Instant at) {
    String message = "The node was low on resource: " + resource + ". Threshold quantity: 750Mi, available: 179968Ki.";
    LogRecord.Builder record = signal(EventNames.POD_EVICTED, RecordUid.occurrence(EventNames.POD_EVICTED, pod.uid()),
        pod, at, "pod evicted: " + message)
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_EVICTION_MESSAGE, message))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_EVICTION_RESOURCE, resource));
    return logs(podResource(pod, "", 0), record);
  }

  /** The router's Evicted Event of a pod; {@code withNode}: as if the Event named the node. */
  public static ExportLogsServiceRequest evictedEvent(Pod pod, String resource, Instant at, boolean withNode) {
    Resource.Builder resourceBuilder = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, CLUSTER))
        .addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, pod.namespace()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, pod.name()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_UID, pod.uid()));
    if (withNode) {
      resourceBuilder.addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, pod.node()));
    }
    LogRecord.Builder record = LogRecord.newBuilder()
        .setTimeUnixNano(nanos(at))
        .setBody(OtlpValues.text("The node was low on resource: " + resource + ". Threshold quantity: 750Mi."))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, RecordUid.kubernetesEvent("ev-" + pod.uid(), 1)))
        .addAttributes(OtlpValues.string(Attributes.EVENT_NAME, EventNames.K8S_EVENT))
        .addAttributes(OtlpValues.string(Attributes.K8S_EVENT_REASON, "Evicted"))
        .addAttributes(OtlpValues.string(Attributes.K8S_EVENT_TYPE, "Warning"))
        .addAttributes(OtlpValues.integer(Attributes.K8S_EVENT_COUNT, 1))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_KIND, "Pod"))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_NAME, pod.name()))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_UID, pod.uid()));
    return logs(resourceBuilder.build(), record);
  }

  /** The router's k8s.node.condition transition. */
  public static ExportLogsServiceRequest nodeCondition(String node, String type, String status, String previous,
      Instant at) {
    Resource resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, CLUSTER))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, node)).build();
    LogRecord.Builder record = LogRecord.newBuilder()
        .setTimeUnixNano(nanos(at))
        .setBody(OtlpValues.text("node " + node + " " + type + " " + previous + " -> " + status))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID,
            RecordUid.occurrence(EventNames.NODE_CONDITION, "uid-" + node, type, at.toString())))
        .addAttributes(OtlpValues.string(Attributes.EVENT_NAME, EventNames.NODE_CONDITION))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_TYPE, type))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_STATUS, status))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_PREVIOUS_STATUS, previous))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_REASON, "KubeletHasInsufficientMemory"))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_MESSAGE,
            "kubelet has insufficient memory available"));
    return logs(resource, record);
  }

  /** The agent's heartbeat. */
  public static ExportLogsServiceRequest heartbeat(String node, Instant at) {
    Resource resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, CLUSTER))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, node)).build();
    LogRecord.Builder record = LogRecord.newBuilder()
        .setTimeUnixNano(nanos(at))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID,
            RecordUid.occurrence(EventNames.AGENT_HEARTBEAT, node, at.toString())))
        .addAttributes(OtlpValues.string(Attributes.EVENT_NAME, EventNames.AGENT_HEARTBEAT));
    return logs(resource, record);
  }

  /** A kubeletstats gauge of a node, as the agent maps /stats/summary. */
  public static ExportMetricsServiceRequest nodeGauge(String node, Instant at, String name, long value) {
    Resource resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, CLUSTER))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, node)).build();
    Metric metric = Metric.newBuilder().setName(name).setUnit("By")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos(at))
            .setAsInt(value))).build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(resource).addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(metric))).build();
  }

  public static byte[] encode(ExportLogsServiceRequest request) {
    return OtlpCodec.encodeLogs(request);
  }

  private static LogRecord.Builder signal(String eventName, String uid, Pod pod, Instant at, String body) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(nanos(at))
        .setObservedTimeUnixNano(nanos(at))
        .setEventName(eventName)
        .setBody(OtlpValues.text(body))
        .addAttributes(OtlpValues.string(Attributes.EVENT_NAME, eventName))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, uid))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_KIND, "Pod"))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_NAME, pod.name()))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_UID, pod.uid()));
  }

  private static Resource podResource(Pod pod, String container, int restartCount) {
    Resource.Builder resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, CLUSTER))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, pod.node()))
        .addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, pod.namespace()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, pod.name()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_UID, pod.uid()));
    if (!container.isEmpty()) {
      resource.addAttributes(OtlpValues.string(Attributes.K8S_CONTAINER_NAME, container));
      resource.addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_RESTART_COUNT, restartCount));
    }
    resource.addAttributes(OtlpValues.string(Attributes.K8S_DEPLOYMENT_NAME, pod.deployment()));
    resource.addAttributes(OtlpValues.string(Attributes.K8S_POD_LABEL_PREFIX + "app", pod.deployment()));
    return resource.build();
  }

  private static ExportLogsServiceRequest logs(Resource resource, LogRecord.Builder record) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource)
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build();
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
