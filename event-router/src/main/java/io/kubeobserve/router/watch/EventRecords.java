package io.kubeobserve.router.watch;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.EventNames;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Clock;
import java.time.Instant;

/** The {@code k8s-events} records of the watcher: OTLP logs, one record per batch, with the contract's attributes. */
public final class EventRecords {

  static final String SCOPE = "io.kubeobserve.router.watch";
  /** Resource attribute of node records (OpenTelemetry semantic conventions). */
  static final String K8S_NODE_UID = "k8s.node.uid";

  private final String clusterName;
  private final Clock clock;

  public EventRecords(String clusterName, Clock clock) {
    this.clusterName = clusterName;
    this.clock = clock;
  }

  /** The {@code log.record.uid} of an event at its count. */
  public static String uid(ClusterEvent event) {
    return RecordUid.kubernetesEvent(event.uid(), event.count());
  }

  /** The {@code log.record.uid} of a node condition transition. */
  public static String uid(ConditionTransition transition) {
    return RecordUid.occurrence(EventNames.NODE_CONDITION, transition.nodeUid(), transition.type(),
        transition.transitionTime().toString());
  }

  /** {@code event.name = k8s.event}: body the message, time when it last happened. */
  public byte[] event(ClusterEvent event) {
    Resource.Builder resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, clusterName));
    String namespace = event.objectNamespace().isEmpty() ? event.namespace() : event.objectNamespace();
    if (!namespace.isEmpty()) {
      resource.addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, namespace));
    }
    if ("Pod".equals(event.objectKind())) {
      resource.addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, event.objectName()));
      if (!event.objectUid().isEmpty()) {
        resource.addAttributes(OtlpValues.string(Attributes.K8S_POD_UID, event.objectUid()));
      }
    }
    event.nodeName().ifPresent(node -> resource.addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, node)));
    boolean warning = "Warning".equals(event.type());
    LogRecord.Builder record = LogRecord.newBuilder()
        .setTimeUnixNano(nanos(event.time()))
        .setObservedTimeUnixNano(nanos(clock.instant()))
        .setSeverityNumber(warning ? SeverityNumber.SEVERITY_NUMBER_WARN : SeverityNumber.SEVERITY_NUMBER_INFO)
        .setSeverityText(event.type())
        .setBody(OtlpValues.text(event.message()))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, uid(event)))
        .addAttributes(OtlpValues.string(Attributes.EVENT_NAME, EventNames.K8S_EVENT))
        .addAttributes(OtlpValues.string(Attributes.K8S_EVENT_REASON, event.reason()))
        .addAttributes(OtlpValues.string(Attributes.K8S_EVENT_TYPE, event.type()))
        .addAttributes(OtlpValues.integer(Attributes.K8S_EVENT_COUNT, event.count()))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_KIND, event.objectKind()))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_NAME, event.objectName()))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_UID, event.objectUid()));
    if (!event.reportingController().isEmpty()) {
      record.addAttributes(OtlpValues.string("k8s.event.reporting_controller", event.reportingController()));
    }
    return encode(resource.build(), record.build());
  }

  /** {@code event.name = k8s.node.condition}: from/to status, reason, message, time of the transition. */
  public byte[] nodeCondition(ConditionTransition transition) {
    Resource resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, clusterName))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, transition.nodeName()))
        .addAttributes(OtlpValues.string(K8S_NODE_UID, transition.nodeUid()))
        .build();
    String from = transition.previousStatus().isEmpty() ? "(not seen before)" : transition.previousStatus();
    LogRecord record = LogRecord.newBuilder()
        .setTimeUnixNano(nanos(transition.transitionTime()))
        .setObservedTimeUnixNano(nanos(clock.instant()))
        .setSeverityNumber(transition.abnormal() ? SeverityNumber.SEVERITY_NUMBER_WARN
            : SeverityNumber.SEVERITY_NUMBER_INFO)
        .setSeverityText(transition.abnormal() ? "Warning" : "Normal")
        .setBody(OtlpValues.text("node " + transition.nodeName() + " " + transition.type() + " " + from + " -> "
            + transition.status() + (transition.reason().isEmpty() ? "" : " (" + transition.reason() + ")")
            + (transition.message().isEmpty() ? "" : ": " + transition.message())))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, uid(transition)))
        .addAttributes(OtlpValues.string(Attributes.EVENT_NAME, EventNames.NODE_CONDITION))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_TYPE, transition.type()))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_STATUS, transition.status()))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_PREVIOUS_STATUS, transition.previousStatus()))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_REASON, transition.reason()))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_CONDITION_MESSAGE, transition.message()))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_KIND, "Node"))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_NAME, transition.nodeName()))
        .addAttributes(OtlpValues.string(Attributes.K8S_OBJECT_UID, transition.nodeUid()))
        .build();
    return encode(resource, record);
  }

  private static byte[] encode(Resource resource, LogRecord record) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder().addLogRecords(record);
    scope.getScopeBuilder().setName(SCOPE);
    return OtlpCodec.encodeLogs(ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope))
        .build());
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
