package io.kubeobserve.alerts.incident;

import io.kubeobserve.alerts.notify.Notification.Labels;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Map;

/**
 * The {@code k8s-alerts} record of an incident state: one OTLP log record, keyed by fingerprint
 * (the topic is compacted: the latest state per incident stays), with {@code k8s.cluster.name} and
 * the incident's place as resource attributes and {@code log.record.uid} = hash of fingerprint and
 * version, so the router's indexer keeps each state change once.
 */
public final class AlertRecords {

  /** {@code event.name} of the records of {@code k8s-alerts}. */
  public static final String EVENT_NAME = "kube_observe.alert";
  public static final String FINGERPRINT = "kube_observe.alert.fingerprint";
  public static final String RULE = "kube_observe.alert.rule";
  public static final String STATUS = "kube_observe.alert.status";
  public static final String VERSION = "kube_observe.alert.version";
  public static final String SEVERITY = "kube_observe.alert.severity";
  public static final String OCCURRENCES = "kube_observe.alert.occurrences";
  public static final String MEMBERS = "kube_observe.alert.members";
  public static final String NOTIFIED = "kube_observe.alert.notified";
  static final String SCOPE = "io.kubeobserve.alerts";
  private static final Map<String, String> RESOURCE_LABELS = Map.of(
      Labels.NODE, Attributes.K8S_NODE_NAME,
      Labels.NAMESPACE, Attributes.K8S_NAMESPACE_NAME,
      Labels.POD, Attributes.K8S_POD_NAME,
      Labels.CONTAINER, Attributes.K8S_CONTAINER_NAME);

  private AlertRecords() {}

  /** The {@code log.record.uid} of an incident's state. */
  public static String uid(Incident incident) {
    return RecordUid.occurrence(EVENT_NAME, incident.fingerprint(), Integer.toString(incident.version()));
  }

  public static byte[] encode(Incident incident, String clusterName, long wallMillis) {
    Resource.Builder resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, clusterName));
    RESOURCE_LABELS.forEach((label, attribute) -> {
      String value = incident.labels().get(label);
      if (value != null && !value.isEmpty()) {
        resource.addAttributes(OtlpValues.string(attribute, value));
      }
    });
    boolean firing = incident.status() != Incident.Status.RESOLVED;
    LogRecord.Builder record = LogRecord.newBuilder()
        .setTimeUnixNano(wallMillis * 1_000_000)
        .setObservedTimeUnixNano(wallMillis * 1_000_000)
        .setSeverityNumber(firing ? SeverityNumber.SEVERITY_NUMBER_WARN : SeverityNumber.SEVERITY_NUMBER_INFO)
        .setSeverityText(firing ? "Warning" : "Normal")
        .setEventName(EVENT_NAME)
        .setBody(OtlpValues.text(incident.rule() + " " + incident.status().name().toLowerCase() + ": "
            + incident.object()))
        .addAttributes(OtlpValues.string(Attributes.EVENT_NAME, EVENT_NAME))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, uid(incident)))
        .addAttributes(OtlpValues.string(FINGERPRINT, incident.fingerprint()))
        .addAttributes(OtlpValues.string(RULE, incident.rule()))
        .addAttributes(OtlpValues.string(STATUS, incident.status().name().toLowerCase()))
        .addAttributes(OtlpValues.integer(VERSION, incident.version()))
        .addAttributes(OtlpValues.string(SEVERITY, incident.severity().name().toLowerCase()))
        .addAttributes(OtlpValues.integer(OCCURRENCES, incident.occurrenceCount()))
        .addAttributes(OtlpValues.bool(NOTIFIED, incident.notified()))
        .addAttributes(strings(MEMBERS, incident.members()));
    incident.details().forEach((name, value) ->
        record.addAttributes(OtlpValues.string("kube_observe.alert.detail." + name.toLowerCase().replace(' ', '_'),
            value)));
    ScopeLogs.Builder scope = ScopeLogs.newBuilder().addLogRecords(record);
    scope.getScopeBuilder().setName(SCOPE);
    return OtlpCodec.encodeLogs(ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope)).build());
  }

  private static KeyValue strings(String key, List<String> values) {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    values.forEach(value -> array.addValues(AnyValue.newBuilder().setStringValue(value)));
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setArrayValue(array)).build();
  }
}
