package io.kubeobserve.agent.signals;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.EventNames;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the signals a pod's status shows now; it changes nothing, so that the reconciler can call it
 * as often as it likes (deduplication is the {@link EmittedOccurrences}' job).
 *
 * <ul>
 *   <li>{@code k8s.container.terminated}: a container's {@code state.terminated}, or its
 *       {@code lastState.terminated} (the kubelet restarted it), OOMKilled included; occurrence: pod
 *       UID + container + restart count, also known by the dead instance's container id so that the
 *       same death read first from {@code state} and then from {@code lastState} is one occurrence.
 *       Successful exits (code 0) only when configured; the containers of an evicted pod are left
 *       to its {@code k8s.pod.evicted} signal. It carries the container's memory limit and request
 *       from the pod's spec, and the last and highest working set the kubelet reported for the
 *       instance before it ended ({@link ContainerMemory}), so that an OOM kill says how close to its
 *       limit the container was.
 *   <li>{@code k8s.container.waiting}: a waiting reason of the configured list
 *       ({@code CrashLoopBackOff}, {@code ImagePullBackOff}); occurrence: pod UID + container +
 *       reason + restart count.
 *   <li>{@code k8s.pod.evicted}: {@code status.reason} {@code Evicted}, with the kubelet's message and
 *       the resource it names; occurrence: pod UID.
 * </ul>
 */
public final class PodSignalReader {

  /** "The node was low on resource: memory. ..." → memory. */
  private static final Pattern LOW_ON_RESOURCE = Pattern.compile("low on resource: ([A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)");

  private final Set<String> waitingReasons;
  private final boolean includeCompleted;
  private final ContainerMemory memory;
  private final Clock clock;

  public PodSignalReader(Set<String> waitingReasons, boolean includeCompleted, ContainerMemory memory, Clock clock) {
    this.waitingReasons = Set.copyOf(waitingReasons);
    this.includeCompleted = includeCompleted;
    this.memory = memory;
    this.clock = clock;
  }

  public List<PodSignal> read(V1Pod pod) {
    List<PodSignal> signals = new ArrayList<>();
    V1PodStatus status = pod.getStatus();
    if (status == null || pod.getMetadata() == null || pod.getMetadata().getUid() == null) {
      return signals;
    }
    String uid = pod.getMetadata().getUid();
    boolean evicted = "Evicted".equals(status.getReason());
    if (evicted) {
      String message = Optional.ofNullable(status.getMessage()).orElse("");
      List<KeyValue> attributes = new ArrayList<>();
      attributes.add(OtlpValues.string(Attributes.K8S_POD_EVICTION_MESSAGE, message));
      Matcher resource = LOW_ON_RESOURCE.matcher(message);
      if (resource.find()) {
        attributes.add(OtlpValues.string(Attributes.K8S_POD_EVICTION_RESOURCE, resource.group(1)));
      }
      signals.add(new PodSignal(EventNames.POD_EVICTED, RecordUid.occurrence(EventNames.POD_EVICTED, uid), List.of(),
          uid, "", 0, Optional.empty(), evictionTime(pod), "Pod " + name(pod) + " was evicted: " + message, attributes));
    }
    List<V1ContainerStatus> containers = new ArrayList<>();
    if (status.getInitContainerStatuses() != null) {
      containers.addAll(status.getInitContainerStatuses());
    }
    if (status.getContainerStatuses() != null) {
      containers.addAll(status.getContainerStatuses());
    }
    for (V1ContainerStatus container : containers) {
      int restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
      V1ContainerState state = container.getState();
      V1ContainerState last = container.getLastState();
      if (!evicted) {
        if (state != null && state.getTerminated() != null) {
          terminated(pod, container, state.getTerminated(), restarts, restarts).ifPresent(signals::add);
        } else if (last != null && last.getTerminated() != null) {
          // the dead instance wrote the log of the restart count before the current one
          terminated(pod, container, last.getTerminated(), restarts, Math.max(0, restarts - 1)).ifPresent(signals::add);
        }
      }
      if (state != null && state.getWaiting() != null && state.getWaiting().getReason() != null
          && waitingReasons.contains(state.getWaiting().getReason())) {
        signals.add(waiting(pod, container, state.getWaiting(), restarts));
      }
    }
    return signals;
  }

  private Optional<PodSignal> terminated(V1Pod pod, V1ContainerStatus container, V1ContainerStateTerminated terminated,
      int restarts, int logInstance) {
    int exitCode = terminated.getExitCode() == null ? -1 : terminated.getExitCode();
    String reason = Optional.ofNullable(terminated.getReason()).orElse(exitCode == 0 ? "Completed" : "Error");
    if (exitCode == 0 && !includeCompleted) {
      return Optional.empty();
    }
    String uid = pod.getMetadata().getUid();
    String name = container.getName();
    List<KeyValue> attributes = new ArrayList<>();
    attributes.add(OtlpValues.string(Attributes.K8S_CONTAINER_TERMINATION_REASON, reason));
    attributes.add(OtlpValues.integer(Attributes.K8S_CONTAINER_TERMINATION_EXIT_CODE, exitCode));
    if (terminated.getSignal() != null) {
      attributes.add(OtlpValues.integer(Attributes.K8S_CONTAINER_TERMINATION_SIGNAL, terminated.getSignal()));
    } else if (exitCode > 128 && exitCode < 160) {
      attributes.add(OtlpValues.integer(Attributes.K8S_CONTAINER_TERMINATION_SIGNAL, exitCode - 128));
    }
    if (terminated.getStartedAt() != null) {
      attributes.add(OtlpValues.string(Attributes.K8S_CONTAINER_TERMINATION_STARTED_AT,
          terminated.getStartedAt().toInstant().toString()));
    }
    if (terminated.getFinishedAt() != null) {
      attributes.add(OtlpValues.string(Attributes.K8S_CONTAINER_TERMINATION_FINISHED_AT,
          terminated.getFinishedAt().toInstant().toString()));
    }
    if (terminated.getMessage() != null && !terminated.getMessage().isEmpty()) {
      attributes.add(OtlpValues.string(Attributes.K8S_CONTAINER_TERMINATION_MESSAGE, terminated.getMessage()));
    }
    memoryResource(pod, name, "limits").ifPresent(bytes ->
        attributes.add(OtlpValues.integer(Attributes.K8S_CONTAINER_MEMORY_LIMIT, bytes)));
    memoryResource(pod, name, "requests").ifPresent(bytes ->
        attributes.add(OtlpValues.integer(Attributes.K8S_CONTAINER_MEMORY_REQUEST, bytes)));
    memory.between(uid, name, Optional.ofNullable(terminated.getStartedAt()).map(OffsetDateTime::toInstant),
        Optional.ofNullable(terminated.getFinishedAt()).map(OffsetDateTime::toInstant)).ifPresent(usage -> {
          attributes.add(OtlpValues.integer(Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET, usage.lastBytes()));
          attributes.add(OtlpValues.string(Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET_TIME,
              usage.lastTime().toString()));
          attributes.add(OtlpValues.integer(Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET_PEAK, usage.peakBytes()));
        });
    List<String> aliases = terminated.getContainerID() == null || terminated.getContainerID().isEmpty() ? List.of()
        : List.of(RecordUid.occurrence(EventNames.CONTAINER_TERMINATED, uid, name, "container-id",
            terminated.getContainerID()));
    Instant time = Optional.ofNullable(terminated.getFinishedAt()).map(OffsetDateTime::toInstant)
        .orElseGet(clock::instant);
    String body = "Container " + name + " of pod " + name(pod) + " terminated: " + reason + " (exit code " + exitCode
        + ")";
    return Optional.of(new PodSignal(EventNames.CONTAINER_TERMINATED,
        RecordUid.occurrence(EventNames.CONTAINER_TERMINATED, uid, name, Integer.toString(restarts)), aliases, uid, name,
        restarts, Optional.of(logInstance), time, body, attributes));
  }

  /** The container's memory {@code limits} or {@code requests} from the pod's spec, in bytes. */
  private static Optional<Long> memoryResource(V1Pod pod, String container, String kind) {
    if (pod.getSpec() == null) {
      return Optional.empty();
    }
    List<V1Container> specs = new ArrayList<>();
    Optional.ofNullable(pod.getSpec().getInitContainers()).ifPresent(specs::addAll);
    Optional.ofNullable(pod.getSpec().getContainers()).ifPresent(specs::addAll);
    return specs.stream().filter(spec -> container.equals(spec.getName())).findFirst()
        .map(V1Container::getResources)
        .map(resources -> kind.equals("limits") ? resources.getLimits() : resources.getRequests())
        .map(quantities -> quantities.get("memory"))
        .map(quantity -> quantity.getNumber().longValue());
  }

  private PodSignal waiting(V1Pod pod, V1ContainerStatus container, V1ContainerStateWaiting waiting, int restarts) {
    String uid = pod.getMetadata().getUid();
    String name = container.getName();
    List<KeyValue> attributes = new ArrayList<>();
    attributes.add(OtlpValues.string(Attributes.K8S_CONTAINER_WAITING_REASON, waiting.getReason()));
    if (waiting.getMessage() != null && !waiting.getMessage().isEmpty()) {
      attributes.add(OtlpValues.string(Attributes.K8S_CONTAINER_WAITING_MESSAGE, waiting.getMessage()));
    }
    return new PodSignal(EventNames.CONTAINER_WAITING,
        RecordUid.occurrence(EventNames.CONTAINER_WAITING, uid, name, waiting.getReason(), Integer.toString(restarts)),
        List.of(), uid, name, restarts, Optional.empty(), clock.instant(),
        "Container " + name + " of pod " + name(pod) + " is waiting: " + waiting.getReason()
            + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()), attributes);
  }

  private Instant evictionTime(V1Pod pod) {
    if (pod.getStatus().getConditions() != null) {
      for (var condition : pod.getStatus().getConditions()) {
        if ("DisruptionTarget".equals(condition.getType()) && condition.getLastTransitionTime() != null) {
          return condition.getLastTransitionTime().toInstant();
        }
      }
    }
    return clock.instant();
  }

  private static String name(V1Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }
}
