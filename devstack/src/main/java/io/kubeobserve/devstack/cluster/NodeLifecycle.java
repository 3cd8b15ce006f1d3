package io.kubeobserve.devstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.ClusterStore;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * What the kubelet and the node lifecycle controller do to a Node, applied together: conditions
 * (with the kubelet's reasons and messages), the taints the controller derives from them, the
 * events both record, the kubelet's endpoint going away and coming back, and the node's pods
 * marked not ready while it is unreachable.
 */
public final class NodeLifecycle {

  /** The node controller's Unknown condition, from the recorded node controller output. */
  private static final JsonNode UNKNOWN_READY = ClusterFixtures.object(ClusterFixtures.NODE_UNKNOWN)
      .path("status").path("conditions").get(0);

  /** The taint of a node whose Ready condition is False. */
  public static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
  /** The taint of a node whose Ready condition is Unknown. */
  public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

  private record Taint(String key, String effect) {}

  private final ClusterStore store;
  private final ObjectUpdates updates;
  private final EventRecorder events;
  private final PodLifecycle pods;
  private final Clock clock;
  private final Function<String, SimulatedNode> nodes;

  NodeLifecycle(ClusterStore store, EventRecorder events, PodLifecycle pods, Clock clock,
      Function<String, SimulatedNode> nodes) {
    this.store = store;
    this.updates = new ObjectUpdates(store);
    this.events = events;
    this.pods = pods;
    this.clock = clock;
    this.nodes = nodes;
  }

  /** The Node as stored now. */
  public ObjectNode get(String node) {
    return store.get(ResourceType.NODES, "", node);
  }

  /**
   * The kubelet's eviction manager observes {@code pressure}: the condition turns True with the
   * kubelet's reason, the kubelet records its {@code NodeHas...} event, and the controller adds the
   * NoSchedule taint.
   */
  public ObjectNode pressure(String node, NodePressure pressure) {
    return setPressure(node, pressure, true);
  }

  /** The pressure is over (after the eviction pressure transition period): condition False, event, taint removed. */
  public ObjectNode relieve(String node, NodePressure pressure) {
    return setPressure(node, pressure, false);
  }

  private ObjectNode setPressure(String node, NodePressure pressure, boolean on) {
    Instant now = clock.instant();
    updates.status(ResourceType.NODES, "", node, object -> Conditions.set((ObjectNode) object.get("status"),
        pressure.condition(), on ? "True" : "False", on ? pressure.pressureReason() : pressure.normalReason(),
        on ? pressure.pressureMessage() : pressure.normalMessage(), now, true));
    recordStatusChange(EventRecorder.Source.kubelet(node), ObjectRef.kubeletNodeRef(node), node,
        on ? pressure.pressureEvent() : pressure.normalEvent());
    return on ? addTaints(node, List.of(new Taint(pressure.taint(), "NoSchedule")))
        : removeTaints(node, List.of(pressure.taint()));
  }

  /**
   * The kubelet reports the node not ready (its runtime or network is down): Ready False with reason
   * {@code KubeletNotReady} and {@code message}, the kubelet's {@code NodeNotReady} event, and the
   * controller's {@code node.kubernetes.io/not-ready:NoSchedule} taint.
   */
  public ObjectNode notReady(String node, String message) {
    Instant now = clock.instant();
    updates.status(ResourceType.NODES, "", node, object -> Conditions.set((ObjectNode) object.get("status"), "Ready",
        "False", "KubeletNotReady", message, now, true));
    recordStatusChange(EventRecorder.Source.kubelet(node), ObjectRef.kubeletNodeRef(node), node, "NodeNotReady");
    return addTaints(node, List.of(new Taint(NOT_READY_TAINT, "NoSchedule")));
  }

  /** The kubelet stops: its endpoint refuses connections and it no longer renews its Lease. */
  public void stopKubelet(String node) {
    nodes.apply(node).stopKubelet();
  }

  /**
   * The node lifecycle controller saw no heartbeat for the grace period: Ready and the pressure
   * conditions Unknown ({@code NodeStatusUnknown}, "Kubelet stopped posting node status."), heartbeat
   * times kept, the {@code unreachable} taints (NoSchedule and NoExecute) in place of
   * {@code not-ready}, its {@code NodeNotReady} event, and the node's pods marked not ready.
   */
  public ObjectNode unreachable(String node) {
    Instant now = clock.instant();
    String reason = UNKNOWN_READY.path("reason").asText();
    String message = UNKNOWN_READY.path("message").asText();
    ObjectNode stored = updates.status(ResourceType.NODES, "", node, object -> {
      ObjectNode status = (ObjectNode) object.get("status");
      Conditions.set(status, "Ready", "Unknown", reason, message, now, false);
      for (NodePressure pressure : NodePressure.values()) {
        Conditions.set(status, pressure.condition(), "Unknown", reason, message, now, false);
      }
    });
    recordStatusChange(EventRecorder.Source.nodeController(), ObjectRef.of(stored), node, "NodeNotReady");
    removeTaints(node, List.of(NOT_READY_TAINT));
    ObjectNode tainted = addTaints(node, List.of(new Taint(UNREACHABLE_TAINT, "NoSchedule"),
        new Taint(UNREACHABLE_TAINT, "NoExecute")));
    forEachRunningPod(node, pod -> pods.setReady(Json.meta(pod, "namespace"), Json.meta(pod, "name"), false));
    return tainted;
  }

  /**
   * The kubelet is back: it starts on its port, posts healthy conditions and Ready True
   * ({@code KubeletReady}), records {@code Starting} and {@code NodeReady}; the controller removes
   * the not-ready and unreachable taints; the pods are ready again.
   */
  public ObjectNode ready(String node) {
    Instant now = clock.instant();
    int port = nodes.apply(node).startKubelet();
    updates.status(ResourceType.NODES, "", node, object -> {
      ObjectNode status = (ObjectNode) object.get("status");
      ((ObjectNode) status.withObjectProperty("daemonEndpoints").withObjectProperty("kubeletEndpoint")).put("Port", port);
      for (NodePressure pressure : NodePressure.values()) {
        Conditions.set(status, pressure.condition(), "False", pressure.normalReason(), pressure.normalMessage(), now,
            true);
      }
      Conditions.set(status, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now, true);
    });
    EventRecorder.Source kubelet = EventRecorder.Source.kubelet(node);
    events.record(kubelet, ObjectRef.kubeletNodeRef(node), EventRecorder.NORMAL, "Starting", "Starting kubelet.");
    recordStatusChange(kubelet, ObjectRef.kubeletNodeRef(node), node, "NodeReady");
    ObjectNode stored = removeTaints(node, List.of(NOT_READY_TAINT, UNREACHABLE_TAINT));
    forEachRunningPod(node, pod -> pods.setReady(Json.meta(pod, "namespace"), Json.meta(pod, "name"), true));
    return stored;
  }

  /** The status of the node's condition {@code type} now ({@code True}, {@code False}, {@code Unknown}). */
  public String conditionStatus(String node, String type) {
    return Conditions.status(get(node), type);
  }

  private void recordStatusChange(EventRecorder.Source source, ObjectRef ref, String node, String reason) {
    events.record(source, ref, EventRecorder.NORMAL, reason, "Node " + node + " status is now: " + reason);
  }

  private ObjectNode addTaints(String node, List<Taint> taints) {
    Instant now = clock.instant();
    return updates.object(ResourceType.NODES, "", node, object -> {
      ObjectNode spec = object.withObjectProperty("spec");
      ArrayNode list = spec.has("taints") ? (ArrayNode) spec.get("taints") : spec.putArray("taints");
      for (Taint taint : taints) {
        boolean present = false;
        for (JsonNode existing : list) {
          present |= taint.key().equals(existing.path("key").asText()) && taint.effect().equals(existing.path("effect").asText());
        }
        if (!present) {
          ObjectNode entry = list.addObject().put("key", taint.key()).put("effect", taint.effect());
          if (taint.effect().equals("NoExecute")) {
            entry.put("timeAdded", Json.time(now));
          }
        }
      }
    });
  }

  private ObjectNode removeTaints(String node, List<String> keys) {
    return updates.object(ResourceType.NODES, "", node, object -> {
      ObjectNode spec = object.withObjectProperty("spec");
      if (spec.has("taints")) {
        ArrayNode list = (ArrayNode) spec.get("taints");
        for (int i = list.size() - 1; i >= 0; i--) {
          if (keys.contains(list.get(i).path("key").asText())) {
            list.remove(i);
          }
        }
        if (list.isEmpty()) {
          spec.remove("taints");
        }
      }
    });
  }

  private void forEachRunningPod(String node, java.util.function.Consumer<JsonNode> action) {
    for (JsonNode pod : store.list(ResourceType.PODS, "")) {
      if (node.equals(pod.path("spec").path("nodeName").asText())
          && "Running".equals(pod.path("status").path("phase").asText())) {
        action.accept(pod);
      }
    }
  }
}
