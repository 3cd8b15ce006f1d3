package io.kubeobserve.alerts.detect;

import java.util.Set;

/** The built-in rules (each an {@code alertname}) and what they mean for grouping and inhibition. */
public final class Rules {

  private Rules() {}

  public static final String OOM_KILLED = "OOMKilled";
  public static final String CRASH_LOOP_BACK_OFF = "CrashLoopBackOff";
  /** Pods evicted from one node: one incident per node, each pod a member. */
  public static final String POD_EVICTED = "PodEvicted";
  /** The kernel's OOM killer on a node (SystemOOM, OOMKilling events). */
  public static final String KERNEL_OOM = "KernelOOM";
  public static final String NODE_MEMORY_PRESSURE = "NodeMemoryPressure";
  public static final String NODE_DISK_PRESSURE = "NodeDiskPressure";
  public static final String NODE_PID_PRESSURE = "NodePIDPressure";
  public static final String NODE_NOT_READY = "NodeNotReady";
  public static final String NODE_NETWORK_UNAVAILABLE = "NodeNetworkUnavailable";
  public static final String AGENT_HEARTBEAT_MISSING = "AgentHeartbeatMissing";
  /** Records of a service dead-lettered (the pipeline alerting on itself). */
  public static final String DEAD_LETTERS = "DeadLetters";
  /** A consumer group behind its topics by more than its threshold (the pipeline alerting on itself). */
  public static final String CONSUMER_LAG = "ConsumerLag";

  /** Node incidents that explain evictions: evictions on their node fold into them. */
  private static final Set<String> PRESSURE = Set.of(NODE_MEMORY_PRESSURE, NODE_DISK_PRESSURE, NODE_PID_PRESSURE);

  /** Whether evictions on the node fold into a firing incident of this rule. */
  public static boolean foldsEvictions(String rule) {
    return PRESSURE.contains(rule);
  }

  /**
   * Whether a firing incident of {@code nodeRule} explains, and so holds back, an incident of
   * {@code rule} on the same node: a node that is not ready (or has no network) explains what its
   * pods and its agent do; pressure explains evictions, and memory pressure the kernel's OOM kills.
   */
  public static boolean inhibits(String nodeRule, String rule) {
    if (NODE_NOT_READY.equals(nodeRule) || NODE_NETWORK_UNAVAILABLE.equals(nodeRule)) {
      return !NODE_NOT_READY.equals(rule) && !NODE_NETWORK_UNAVAILABLE.equals(rule) && !PRESSURE.contains(rule);
    }
    if (PRESSURE.contains(nodeRule)) {
      return POD_EVICTED.equals(rule) || (NODE_MEMORY_PRESSURE.equals(nodeRule) && KERNEL_OOM.equals(rule));
    }
    return false;
  }

  /** Whether an incident of this rule resolves after a quiet period rather than when a condition clears. */
  public static boolean resolvesWhenQuiet(String rule) {
    return OOM_KILLED.equals(rule) || CRASH_LOOP_BACK_OFF.equals(rule) || POD_EVICTED.equals(rule)
        || KERNEL_OOM.equals(rule) || DEAD_LETTERS.equals(rule);
  }
}
