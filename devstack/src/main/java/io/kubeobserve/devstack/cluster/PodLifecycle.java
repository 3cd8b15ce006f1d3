package io.kubeobserve.devstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.ClusterStore;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import io.kubeobserve.devstack.cluster.kubelet.ContainerIds;
import io.kubeobserve.devstack.cluster.kubelet.ContainerUsage;
import io.kubeobserve.devstack.cluster.kubelet.KubeletState;
import io.kubeobserve.devstack.cluster.logs.ContainerLogRef;
import io.kubeobserve.devstack.cluster.logs.ContainerLogs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the kubelet does to a pod, applied to everything a real cluster changes at once: the pod's
 * status in the API (container states, restart count, conditions, phase), the kubelet's payloads
 * ({@link KubeletState}: OOM and eviction counters, a new container instance), the container log
 * files ({@link ContainerLogs}: stopped, a new {@code <restartCount>.log}) and the kubelet's events.
 */
public final class PodLifecycle {

  private final ClusterStore store;
  private final ObjectUpdates updates;
  private final EventRecorder events;
  private final ContainerLogs logs;
  private final Clock clock;
  private final Function<String, KubeletState> states;

  PodLifecycle(ClusterStore store, EventRecorder events, ContainerLogs logs, Clock clock,
      Function<String, KubeletState> states) {
    this.store = store;
    this.updates = new ObjectUpdates(store);
    this.events = events;
    this.logs = logs;
    this.clock = clock;
    this.states = states;
  }

  /** The pod as stored now. */
  public ObjectNode get(String namespace, String name) {
    return store.get(ResourceType.PODS, namespace, name);
  }

  /** The log directory reference of a container of {@code pod}. */
  public static ContainerLogRef logRef(JsonNode pod, String container) {
    return new ContainerLogRef(Json.meta(pod, "namespace"), Json.meta(pod, "name"), Json.meta(pod, "uid"), container);
  }

  /** The usage the pod's node reports for one of its containers. */
  public ContainerUsage usage(JsonNode pod, String container) {
    return states.apply(pod.path("spec").path("nodeName").asText()).container(Json.meta(pod, "uid"), container);
  }

  /** Creates a running pod (as its controller and the kubelet would) and starts its containers' logs. */
  public ObjectNode create(ObjectNode pod) {
    ObjectNode created = store.create(ResourceType.PODS, pod);
    for (JsonNode status : created.path("status").path("containerStatuses")) {
      if (status.path("state").has("running")) {
        logs.add(logRef(created, status.path("name").asText()), status.path("restartCount").asInt());
        fitUnderLimit(created, status.path("name").asText());
      }
    }
    return created;
  }

  /**
   * A container exited ({@code OOMKilled} with 137, {@code Error} with 1, ...) and the kubelet backs
   * off before starting it again: {@code lastState.terminated} holds the dead instance,
   * {@code state.waiting} is {@code CrashLoopBackOff}, {@code restartCount} + 1, the pod is not
   * Ready, the log stops, a {@code BackOff} event is recorded, and an OOM kill counts in
   * {@code container_oom_events_total}.
   *
   * @return the pod as stored
   */
  public ObjectNode containerDied(String namespace, String name, String container, String reason, int exitCode,
      Duration backOff) {
    Instant now = clock.instant();
    ObjectNode pod = get(namespace, name);
    String podRef = name + "_" + namespace + "(" + Json.meta(pod, "uid") + ")";
    if (reason.equals("OOMKilled")) {
      usage(pod, container).recordOomKill();
    }
    logs.stop(logRef(pod, container));
    ObjectNode stored = updates.status(ResourceType.PODS, namespace, name, object -> {
      ObjectNode status = (ObjectNode) object.get("status");
      ObjectNode entry = (ObjectNode) StorePodSource.containerStatus(object, container);
      String startedAt = entry.path("state").path("running").path("startedAt").asText(Json.time(now));
      entry.putObject("lastState").putObject("terminated").put("exitCode", exitCode).put("reason", reason)
          .put("startedAt", startedAt).put("finishedAt", Json.time(now))
          .put("containerID", entry.path("containerID").asText());
      entry.putObject("state").putObject("waiting").put("reason", "CrashLoopBackOff").put("message",
          "back-off " + backOff.toSeconds() + "s restarting failed container=" + container + " pod=" + podRef);
      entry.put("ready", false).put("started", false).put("restartCount", entry.path("restartCount").asInt() + 1);
      setContainersReady(status, now);
    });
    events.record(EventRecorder.Source.kubelet(nodeOf(pod)), ObjectRef.of(pod), containerPath(container),
        EventRecorder.WARNING, "BackOff", "Back-off restarting failed container " + container + " in pod " + podRef);
    return stored;
  }

  /**
   * The kubelet starts the container again after its back-off: a running instance with a new
   * container id, its log in a new {@code <restartCount>.log}, the pod Ready again, and the
   * kubelet's {@code Pulled}, {@code Created} and {@code Started} events.
   *
   * @return the pod as stored
   */
  public ObjectNode containerStarted(String namespace, String name, String container) {
    Instant now = clock.instant();
    ObjectNode stored = updates.status(ResourceType.PODS, namespace, name, object -> {
      ObjectNode entry = (ObjectNode) StorePodSource.containerStatus(object, container);
      entry.putObject("state").putObject("running").put("startedAt", Json.time(now));
      entry.put("ready", true).put("started", true).put("containerID", "containerd://"
          + ContainerIds.containerId(Json.meta(object, "uid"), container, entry.path("restartCount").asInt()));
      setContainersReady((ObjectNode) object.get("status"), now);
    });
    JsonNode entry = StorePodSource.containerStatus(stored, container);
    String node = nodeOf(stored);
    states.apply(node).snapshot(List.of(StorePodSource.view(stored))); // the kubelet sees the new instance
    fitUnderLimit(stored, container);
    logs.restart(logRef(stored, container), entry.path("restartCount").asInt());
    EventRecorder.Source kubelet = EventRecorder.Source.kubelet(node);
    ObjectRef ref = ObjectRef.of(stored);
    String image = imageOf(stored, container);
    events.record(kubelet, ref, containerPath(container), EventRecorder.NORMAL, "Pulled",
        "Container image \"" + image + "\" already present on machine");
    events.record(kubelet, ref, containerPath(container), EventRecorder.NORMAL, "Created", "Created container " + container);
    events.record(kubelet, ref, containerPath(container), EventRecorder.NORMAL, "Started", "Started container " + container);
    return stored;
  }

  /**
   * The kubelet's eviction manager evicts the pod for {@code pressure} (a hard threshold: no grace
   * period): phase {@code Failed}, reason {@code Evicted}, the kubelet's message, the
   * {@code DisruptionTarget} condition, containers terminated by SIGKILL (137), logs stopped,
   * {@code kubelet_evictions} + 1, and {@code Killing} and {@code Evicted} events.
   *
   * @param thresholdQuantity the threshold as the message names it ({@code 750Mi})
   * @param available what was available, as the message names it ({@code 179968Ki})
   * @return the pod as stored
   */
  public ObjectNode evict(String namespace, String name, NodePressure pressure, String thresholdQuantity,
      String available) {
    Instant now = clock.instant();
    ObjectNode pod = get(namespace, name);
    String node = nodeOf(pod);
    EvictionMessage message = new EvictionMessage(pressure, thresholdQuantity, available);
    List<String> containers = new ArrayList<>();
    for (JsonNode container : pod.path("spec").path("containers")) {
      String containerName = container.path("name").asText();
      containers.add(containerName);
      ContainerUsage usage = usage(pod, containerName);
      long used = pressure == NodePressure.MEMORY ? usage.workingSetBytes() : usage.profile().rootfsUsedBytes()
          + usage.profile().logsUsedBytes();
      String requestField = pressure == NodePressure.MEMORY ? "memory" : "ephemeral-storage";
      message.container(containerName, used, container.path("resources").path("requests").path(requestField).asText(""));
      logs.stop(logRef(pod, containerName));
    }
    String text = message.toString();
    states.apply(node).recordEviction(pressure.signal());
    ObjectNode stored = updates.status(ResourceType.PODS, namespace, name, object -> {
      ObjectNode status = (ObjectNode) object.get("status");
      status.put("phase", "Failed").put("reason", "Evicted").put("message", text);
      Conditions.set(status, "DisruptionTarget", "True", "TerminationByKubelet", text, now, false);
      Conditions.set(status, "Ready", "False", "PodFailed", "", now, false);
      Conditions.set(status, "ContainersReady", "False", "PodFailed", "", now, false);
      for (JsonNode entry : status.path("containerStatuses")) {
        ObjectNode container = (ObjectNode) entry;
        String startedAt = container.path("state").path("running").path("startedAt").asText(Json.time(now));
        container.putObject("state").putObject("terminated").put("exitCode", 137).put("reason", "Error")
            .put("startedAt", startedAt).put("finishedAt", Json.time(now))
            .put("containerID", container.path("containerID").asText());
        container.put("ready", false).put("started", false);
      }
    });
    EventRecorder.Source kubelet = EventRecorder.Source.kubelet(node);
    for (String container : containers) {
      events.record(kubelet, ObjectRef.of(stored), containerPath(container), EventRecorder.NORMAL, "Killing",
          "Stopping container " + container);
    }
    events.record(kubelet, ObjectRef.of(stored), EventRecorder.WARNING, "Evicted", text);
    return stored;
  }

  /**
   * Sets the pod's {@code Ready} condition (the node lifecycle controller marks the pods of an
   * unreachable node not ready; the kubelet marks them ready again).
   */
  public ObjectNode setReady(String namespace, String name, boolean ready) {
    return updates.status(ResourceType.PODS, namespace, name, object -> Conditions.set((ObjectNode) object.get("status"),
        "Ready", ready ? "True" : "False", null, null, clock.instant(), false));
  }

  /**
   * A new container starts from a recorded container's usage, which may exceed this container's
   * memory limit (no real container runs above it): such a one starts at 40% of its limit.
   */
  private void fitUnderLimit(JsonNode pod, String container) {
    for (JsonNode spec : pod.path("spec").path("containers")) {
      long limit = Quantities.bytes(spec.path("resources").path("limits").path("memory").asText(""));
      ContainerUsage usage = usage(pod, container);
      if (container.equals(spec.path("name").asText()) && limit > 0 && usage.workingSetBytes() > limit * 8 / 10) {
        usage.setWorkingSetBytes(limit * 4 / 10);
      }
    }
  }

  private static void setContainersReady(ObjectNode status, Instant now) {
    List<String> unready = new ArrayList<>();
    for (JsonNode entry : status.path("containerStatuses")) {
      if (!entry.path("ready").asBoolean()) {
        unready.add(entry.path("name").asText());
      }
    }
    String value = unready.isEmpty() ? "True" : "False";
    String reason = unready.isEmpty() ? null : "ContainersNotReady";
    String message = "containers with unready status: [" + String.join(" ", unready) + "]";
    Conditions.set(status, "Ready", value, reason, message, now, false);
    Conditions.set(status, "ContainersReady", value, reason, message, now, false);
  }

  private static String containerPath(String container) {
    return "spec.containers{" + container + "}";
  }

  private static String nodeOf(JsonNode pod) {
    return pod.path("spec").path("nodeName").asText();
  }

  private static String imageOf(JsonNode pod, String container) {
    for (JsonNode spec : pod.path("spec").path("containers")) {
      if (container.equals(spec.path("name").asText())) {
        return spec.path("image").asText();
      }
    }
    return "";
  }
}
