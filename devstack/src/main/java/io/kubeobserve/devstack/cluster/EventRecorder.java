package io.kubeobserve.devstack.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.ClusterStore;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Records core/v1 Events as client-go's event recorder does for the kubelet and the controllers:
 * the object {@code <involvedObject.name>.<hex unix nanos>} in the involved object's namespace
 * ({@code default} for cluster-scoped objects), {@code source} and {@code reportingComponent}/
 * {@code reportingInstance}, {@code firstTimestamp}/{@code lastTimestamp}, and, when the same
 * event (same source, object, type, reason and message) happens again, the existing Event updated
 * with {@code count + 1} and a new {@code lastTimestamp} instead of a new object (the
 * EventCorrelator's deduplication). Its aggregation of similar events into "(combined from similar
 * events)" is not simulated. Thread-safe.
 */
public final class EventRecorder {

  /** Event type {@code Normal}. */
  public static final String NORMAL = "Normal";
  /** Event type {@code Warning}. */
  public static final String WARNING = "Warning";

  private final ClusterStore store;
  private final Clock clock;
  private final Map<String, String> eventNames = new HashMap<>();
  private long lastNanos;

  EventRecorder(ClusterStore store, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Who records an event: {@code source.component} and {@code source.host}.
   *
   * @param component {@code kubelet}, {@code node-controller}, ...
   * @param host the node name for node components, empty for controllers
   */
  public record Source(String component, String host) {

    public Source {
      requireNonNull(component, "component");
      requireNonNull(host, "host");
    }

    /** The kubelet of {@code node}. */
    public static Source kubelet(String node) {
      return new Source("kubelet", node);
    }

    /** The node lifecycle controller of kube-controller-manager. */
    public static Source nodeController() {
      return new Source("node-controller", "");
    }
  }

  /**
   * Records an event about {@code object} (whole object) and returns the stored Event.
   *
   * @param type {@link #NORMAL} or {@link #WARNING}
   */
  public ObjectNode record(Source source, ObjectRef object, String type, String reason, String message) {
    return record(source, object, "", type, reason, message);
  }

  /**
   * Records an event about a part of {@code object} ({@code fieldPath} such as {@code
   * spec.containers{web}}, empty for the whole object) and returns the stored Event.
   */
  public synchronized ObjectNode record(Source source, ObjectRef object, String fieldPath, String type,
      String reason, String message) {
    requireNonNull(source, "source");
    requireNonNull(object, "object");
    String namespace = object.namespace().isEmpty() ? "default" : object.namespace();
    String key = String.join("\u0000", source.component(), source.host(), object.kind(), object.namespace(),
        object.name(), object.uid(), fieldPath, type, reason, message);
    Instant now = clock.instant();
    String existing = eventNames.get(key);
    if (existing != null && store.find(ResourceType.EVENTS, namespace, existing).isPresent()) {
      return new ObjectUpdates(store).object(ResourceType.EVENTS, namespace, existing, event -> {
        event.put("count", event.path("count").asInt(1) + 1);
        event.put("lastTimestamp", Json.time(now));
      });
    }
    String name = object.name() + "." + Long.toHexString(uniqueNanos(now));
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("apiVersion", "v1").put("kind", "Event");
    event.putObject("metadata").put("name", name).put("namespace", namespace);
    ObjectNode involved = event.putObject("involvedObject");
    involved.put("kind", object.kind());
    if (!object.namespace().isEmpty()) {
      involved.put("namespace", object.namespace());
    }
    involved.put("name", object.name()).put("uid", object.uid());
    if (!object.equals(ObjectRef.kubeletNodeRef(object.name()))) {
      involved.put("apiVersion", "v1"); // the kubelet's own node reference has none
    }
    if (!fieldPath.isEmpty()) {
      involved.put("fieldPath", fieldPath);
    }
    event.put("reason", reason).put("message", message);
    ObjectNode eventSource = event.putObject("source").put("component", source.component());
    if (!source.host().isEmpty()) {
      eventSource.put("host", source.host());
    }
    event.put("firstTimestamp", Json.time(now)).put("lastTimestamp", Json.time(now)).put("count", 1);
    event.put("type", type);
    event.putNull("eventTime");
    event.put("reportingComponent", source.component()).put("reportingInstance", source.host());
    eventNames.put(key, name);
    return store.create(ResourceType.EVENTS, event);
  }

  private long uniqueNanos(Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastNanos = Math.max(nanos, lastNanos + 1);
    return lastNanos;
  }
}
