package io.kubeobserve.devstack.cluster.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.EventRecorder;
import io.kubeobserve.devstack.cluster.NodePressure;
import io.kubeobserve.devstack.cluster.ObjectRef;
import io.kubeobserve.devstack.cluster.Quantities;
import io.kubeobserve.devstack.cluster.SimulatedNode;
import io.kubeobserve.devstack.cluster.Workload;
import io.kubeobserve.devstack.cluster.WorkloadKind;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Node-pressure eviction by the kubelet's eviction manager (kubernetes.io, "Node-pressure
 * Eviction"), for {@link Action.EvictionStorm} (memory) and {@link Action.NodePressure} (disk, PIDs):
 * <ol>
 *   <li>the signal falls under its hard threshold over 30 s (three kubelet readings);
 *   <li>the condition turns True ({@code NodeHas...} event, NoSchedule taint) and the kubelet records
 *       {@code EvictionThresholdMet} ("Attempting to reclaim memory");
 *   <li>one pod per 10 s monitoring interval is evicted (BestEffort first, then Burstable by usage;
 *       never DaemonSet or Guaranteed pods), {@code EvictionThresholdMet} counting up, each eviction
 *       freeing what the pod used;
 *   <li>the signal recovers (the kubelet reads it one interval after the last eviction); after {@code recoverAfter} (the eviction pressure transition period) the
 *       condition turns False and the controllers start replacement pods.
 * </ol>
 * Thresholds: memory 750Mi and the available value of the recorded GKE eviction (179968Ki); disk
 * {@code nodefs.available<10%} (the kubelet default); PIDs {@code pid.available<10%} (the
 * documented example; the kubelet has no default PID threshold). DiskPressure and PIDPressure have
 * no recorded fixtures: they follow the kubelet's code paths for MemoryPressure with the names it
 * uses for those signals.
 */
final class EvictionIncident {

  /** The recorded GKE eviction: "Threshold quantity: 750Mi, available: 179968Ki". */
  static final long MEMORY_THRESHOLD = 750L << 20;
  static final long MEMORY_AVAILABLE = 179968L << 10;
  private static final Duration RAMP = Duration.ofSeconds(30);
  private static final Duration MONITORING_INTERVAL = Duration.ofSeconds(10);
  private static final int RAMP_STEPS = 3;

  private final IncidentContext ctx;
  private final NodePressure pressure;
  private final String node;
  private final SimulatedNode simulatedNode;
  private final int pods;
  private final Duration recoverAfter;
  private final String threshold;
  private long available;

  private EvictionIncident(IncidentContext ctx, NodePressure pressure, String node, int pods, Duration recoverAfter) {
    this.ctx = ctx;
    this.pressure = pressure;
    this.node = node;
    this.simulatedNode = ctx.cluster().node(node);
    this.pods = pods;
    this.recoverAfter = recoverAfter;
    var values = simulatedNode.snapshot().node();
    switch (pressure) {
      case MEMORY -> {
        threshold = Quantities.binarySI(MEMORY_THRESHOLD);
        available = MEMORY_AVAILABLE;
      }
      case DISK -> {
        threshold = Quantities.binarySI(values.fsCapacityBytes() / 10);
        available = values.fsCapacityBytes() * 4 / 100;
      }
      default -> {
        threshold = Quantities.decimalSI(values.maxPid() / 10);
        available = values.maxPid() * 3 / 100;
      }
    }
  }

  static void start(IncidentContext ctx, Action.EvictionStorm action) {
    new EvictionIncident(ctx, NodePressure.MEMORY, ctx.node(action.node()), action.pods(), action.recoverAfter())
        .run();
  }

  static void start(IncidentContext ctx, Action.NodePressure action) {
    NodePressure pressure = action.pressure() == Action.Pressure.DISK ? NodePressure.DISK : NodePressure.PID;
    new EvictionIncident(ctx, pressure, ctx.node(action.node()), action.pods(), action.recoverAfter()).run();
  }

  private void run() {
    long before = current();
    for (int step = 1; step <= RAMP_STEPS; step++) {
      long value = before - (before - available) * step / RAMP_STEPS;
      boolean last = step == RAMP_STEPS;
      ctx.after(RAMP.multipliedBy(step).dividedBy(RAMP_STEPS), () -> {
        set(value);
        if (last) {
          underPressure();
        }
      });
    }
  }

  private void underPressure() {
    ctx.cluster().nodeLifecycle().pressure(node, pressure);
    ctx.recordCondition(node, pressure.condition(), "False", "True", pressure.pressureReason(),
        pressure.pressureMessage());
    reclaimEvent();
    List<ObjectNode> victims = victims();
    for (int i = 0; i < victims.size(); i++) {
      ObjectNode victim = victims.get(i);
      boolean last = i == victims.size() - 1;
      ctx.after(MONITORING_INTERVAL.multipliedBy(i), () -> {
        evict(victim);
        if (last) {
          ctx.after(MONITORING_INTERVAL, this::release);
        }
      });
    }
    if (victims.isEmpty()) {
      ctx.after(MONITORING_INTERVAL, this::release);
    }
  }

  private void evict(ObjectNode victim) {
    if (ctx.cluster().nodeLifecycle().conditionStatus(node, pressure.condition()).equals("True")) {
      reclaimEvent();
    }
    long freed = freedBy(victim);
    ObjectNode evicted = ctx.cluster().podLifecycle().evict(Json.meta(victim, "namespace"), Json.meta(victim, "name"),
        pressure, threshold, pressure == NodePressure.PID ? Quantities.decimalSI(available)
            : Quantities.binarySI(available));
    ctx.record(Signal.POD_EVICTED, ObjectRef.of(evicted), "", node, evicted.path("status").path("reason").asText(),
        evicted.path("status").path("message").asText(), Map.of("signal", pressure.signal(),
            "phase", evicted.path("status").path("phase").asText()));
    set(available + freed);
  }

  private void release() {
    set(-1);
    List<ObjectNode> evicted = ctx.cluster().store().list(ResourceType.PODS, "")
        .stream().filter(pod -> node.equals(IncidentContext.nodeOf(pod)))
        .filter(pod -> "Evicted".equals(pod.path("status").path("reason").asText())).toList();
    ctx.after(recoverAfter, () -> {
      ctx.cluster().nodeLifecycle().relieve(node, pressure);
      ctx.recordCondition(node, pressure.condition(), "True", "False", pressure.normalReason(),
          pressure.normalMessage());
      for (ObjectNode pod : evicted) {
        Optional<Workload> workload = ctx.cluster().workloadOf(Json.meta(pod, "uid"));
        if (workload.isPresent() && workload.get().kind() != WorkloadKind.STATEFUL_SET) {
          ctx.cluster().createPod(workload.get(), node);
        }
      }
    });
  }

  private void reclaimEvent() {
    ctx.cluster().events().record(EventRecorder.Source.kubelet(node), ObjectRef.kubeletNodeRef(node),
        EventRecorder.WARNING, "EvictionThresholdMet", "Attempting to reclaim " + pressure.resource());
  }

  /** The eviction candidates in the eviction manager's order, at most {@code pods}. */
  private List<ObjectNode> victims() {
    List<ObjectNode> candidates = new ArrayList<>(ctx.runningPods(pod -> node.equals(IncidentContext.nodeOf(pod))
        && !pod.path("status").path("qosClass").asText().equals("Guaranteed")
        && ctx.cluster().workloadOf(Json.meta(pod, "uid")).map(w -> w.kind() != WorkloadKind.DAEMON_SET).orElse(true)));
    candidates.sort(Comparator.comparing((ObjectNode pod) -> !pod.path("status").path("qosClass").asText()
        .equals("BestEffort")).thenComparing(Comparator.comparingLong(this::freedBy).reversed())
        .thenComparing(pod -> Json.meta(pod, "name")));
    return candidates.subList(0, Math.min(pods, candidates.size()));
  }

  private long freedBy(JsonNode pod) {
    String container = pod.path("spec").path("containers").get(0).path("name").asText();
    var usage = ctx.cluster().podLifecycle().usage(pod, container);
    return switch (pressure) {
      case MEMORY -> usage.workingSetBytes();
      case DISK -> usage.profile().rootfsUsedBytes() + usage.profile().logsUsedBytes();
      default -> 20;
    };
  }

  private long current() {
    var values = simulatedNode.snapshot().node();
    return switch (pressure) {
      case MEMORY -> values.memoryAvailableBytes();
      case DISK -> values.fsAvailableBytes();
      default -> values.maxPid() - values.processCount();
    };
  }

  /** Sets the signal's value on the kubelet ({@code available}); -1 returns it to its baseline. */
  private void set(long value) {
    if (value >= 0) {
      available = value;
    }
    Long override = value < 0 ? null : value;
    var state = simulatedNode.state();
    switch (pressure) {
      case MEMORY -> state.setMemoryAvailableBytes(override);
      case DISK -> state.setFsAvailableBytes(override);
      default -> state.setProcessCount(override == null ? null : state.maxPid() - override);
    }
  }
}
