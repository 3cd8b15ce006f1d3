package io.kubeobserve.router.watch;

import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * A Kubernetes Event as the watcher needs it, from either API: events.k8s.io/v1 or core/v1 (the
 * same objects, two shapes).
 *
 * @param count how many times it happened: {@code series.count}, else the deprecated/core {@code count}, else 1
 * @param host the node a node component (the kubelet) reported it from: {@code source.host}, else the
 *     kubelet's {@code reportingInstance}; empty for controllers
 * @param time when it last happened: series last observed time, event time, last timestamp, first
 *     timestamp or creation time, the first one present
 */
public record ClusterEvent(String uid, String namespace, String name, long count, String type, String reason,
    String message, String reportingController, String host, String objectKind, String objectNamespace,
    String objectName, String objectUid, Instant time) {

  private static final String KUBELET = "kubelet";

  static ClusterEvent of(EventsV1Event event) {
    long count = event.getSeries() != null && event.getSeries().getCount() != null
        ? event.getSeries().getCount()
        : event.getDeprecatedCount() != null && event.getDeprecatedCount() > 0 ? event.getDeprecatedCount() : 1;
    Instant time = first(
        event.getSeries() == null ? null : event.getSeries().getLastObservedTime(),
        event.getDeprecatedLastTimestamp(), event.getEventTime(), event.getDeprecatedFirstTimestamp(),
        event.getMetadata().getCreationTimestamp());
    String controller = event.getReportingController() != null && !event.getReportingController().isEmpty()
        ? event.getReportingController()
        : event.getDeprecatedSource() == null ? "" : text(event.getDeprecatedSource().getComponent());
    String host = host(event.getDeprecatedSource() == null ? null : event.getDeprecatedSource().getHost(),
        controller, event.getReportingInstance());
    return of(event.getMetadata().getUid(), event.getMetadata().getNamespace(), event.getMetadata().getName(),
        count, event.getType(), event.getReason(), event.getNote(), controller, host, event.getRegarding(), time);
  }

  static ClusterEvent of(CoreV1Event event) {
    long count = event.getSeries() != null && event.getSeries().getCount() != null
        ? event.getSeries().getCount()
        : event.getCount() != null && event.getCount() > 0 ? event.getCount() : 1;
    Instant time = first(
        event.getSeries() == null ? null : event.getSeries().getLastObservedTime(),
        event.getLastTimestamp(), event.getEventTime(), event.getFirstTimestamp(),
        event.getMetadata().getCreationTimestamp());
    String controller = event.getReportingComponent() != null && !event.getReportingComponent().isEmpty()
        ? event.getReportingComponent()
        : event.getSource() == null ? "" : text(event.getSource().getComponent());
    String host = host(event.getSource() == null ? null : event.getSource().getHost(), controller,
        event.getReportingInstance());
    return of(event.getMetadata().getUid(), event.getMetadata().getNamespace(), event.getMetadata().getName(),
        count, event.getType(), event.getReason(), event.getMessage(), controller, host, event.getInvolvedObject(),
        time);
  }

  private static ClusterEvent of(String uid, String namespace, String name, long count, String type, String reason,
      String message, String controller, String host, V1ObjectReference object, Instant time) {
    V1ObjectReference ref = object == null ? new V1ObjectReference() : object;
    return new ClusterEvent(text(uid), text(namespace), text(name), count, text(type), text(reason), text(message),
        controller, host, text(ref.getKind()), text(ref.getNamespace()), text(ref.getName()), text(ref.getUid()),
        time == null ? Instant.EPOCH : time);
  }

  private static String host(String sourceHost, String controller, String reportingInstance) {
    if (sourceHost != null && !sourceHost.isEmpty()) {
      return sourceHost;
    }
    return KUBELET.equals(controller) ? text(reportingInstance) : "";
  }

  private static Instant first(OffsetDateTime... times) {
    for (OffsetDateTime time : times) {
      if (time != null && time.toEpochSecond() > 0) {
        return time.toInstant();
      }
    }
    return null;
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  /** The key of the Kafka record: the involved object's UID, else the event's. */
  String recordKey() {
    return objectUid.isEmpty() ? uid : objectUid;
  }

  /** The node it concerns: the Node it is about, else the node whose kubelet reported it. */
  Optional<String> nodeName() {
    if ("Node".equals(objectKind) && !objectName.isEmpty()) {
      return Optional.of(objectName);
    }
    return host.isEmpty() ? Optional.empty() : Optional.of(host);
  }
}
