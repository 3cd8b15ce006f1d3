package io.kubeobserve.devstack.cluster.scenario;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * What a scenario step does. Each kind is named in YAML by its {@link #type()}; a node or workload
 * left empty is picked when the step runs (the node of the workload's first running pod, or the
 * first node).
 */
public sealed interface Action {

  /** The name of the action in scenario files ({@code oom-kill}, ...). */
  String type();

  /**
   * {@code oom-kill}: a container's working set climbs to its memory limit over {@code climb}, the
   * kernel OOM-kills it (OOMKilled, exit code 137), the kubelet backs off and restarts it.
   *
   * @param workload {@code namespace/name} of the workload whose pod is hit
   * @param node the node of the pod, empty for any
   * @param climb how long the working set takes to reach the limit
   */
  record OomKill(String workload, Optional<String> node, Duration climb) implements Action {
    public OomKill {
      requireNonNull(workload, "workload");
      requireNonNull(node, "node");
      requirePositive(climb, "climb");
    }

    @Override
    public String type() {
      return "oom-kill";
    }
  }

  /**
   * {@code crashloop}: a container exits with an error {@code restarts} times, each time running
   * {@code runFor} and then waiting in CrashLoopBackOff for the kubelet's doubling back-off (10 s,
   * 20 s, 40 s ... 5 min); after the last crash it starts and keeps running.
   *
   * @param workload {@code namespace/name} of the workload whose pod crashes
   * @param node the node of the pod, empty for any
   * @param restarts how many times it crashes
   * @param runFor how long each instance runs before it crashes
   */
  record CrashLoop(String workload, Optional<String> node, int restarts, Duration runFor) implements Action {
    public CrashLoop {
      requireNonNull(workload, "workload");
      requireNonNull(node, "node");
      if (restarts < 1 || restarts > 50) {
        throw new IllegalArgumentException("restarts must be 1..50, got " + restarts);
      }
      requirePositive(runFor, "runFor");
    }

    @Override
    public String type() {
      return "crashloop";
    }
  }

  /**
   * {@code eviction-storm}: the node's available memory falls under the kubelet's hard eviction
   * threshold (750Mi), MemoryPressure turns True, the eviction manager evicts {@code pods} pods one
   * per 10 s monitoring interval, memory recovers, and after {@code recoverAfter} (the
   * eviction-pressure transition period) MemoryPressure turns False and replacement pods start.
   */
  record EvictionStorm(Optional<String> node, int pods, Duration recoverAfter) implements Action {
    public EvictionStorm {
      requireNonNull(node, "node");
      requirePods(pods);
      requirePositive(recoverAfter, "recoverAfter");
    }

    @Override
    public String type() {
      return "eviction-storm";
    }
  }

  /**
   * {@code node-pressure}: DiskPressure ({@code nodefs.available} under 10%) or PIDPressure
   * ({@code pid.available} under 10%), built from the kubelet's documented eviction behaviour (no
   * recorded fixture exists): condition, taint, events, {@code pods} evictions, then recovery.
   */
  record NodePressure(Optional<String> node, Pressure pressure, int pods, Duration recoverAfter) implements Action {
    public NodePressure {
      requireNonNull(node, "node");
      requireNonNull(pressure, "pressure");
      requirePods(pods);
      requirePositive(recoverAfter, "recoverAfter");
    }

    @Override
    public String type() {
      return "node-pressure";
    }
  }

  /** The resource of a {@link NodePressure} step. */
  enum Pressure {
    /** DiskPressure. */
    DISK,
    /** PIDPressure. */
    PID
  }

  /**
   * {@code node-not-ready}: the kubelet reports Ready False, then stops (its endpoint no longer
   * answers, its Lease is not renewed); after {@code unknownAfter} (the node monitor grace period)
   * the node controller sets Ready Unknown with the unreachable taints; after {@code recoverAfter}
   * the kubelet is back and the node Ready again.
   */
  record NodeNotReady(Optional<String> node, Duration unknownAfter, Duration recoverAfter) implements Action {
    public NodeNotReady {
      requireNonNull(node, "node");
      requirePositive(unknownAfter, "unknownAfter");
      requirePositive(recoverAfter, "recoverAfter");
    }

    @Override
    public String type() {
      return "node-not-ready";
    }
  }

  private static void requirePositive(Duration duration, String name) {
    requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }

  private static void requirePods(int pods) {
    if (pods < 1 || pods > 100) {
      throw new IllegalArgumentException("pods must be 1..100, got " + pods);
    }
  }
}
