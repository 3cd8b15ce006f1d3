package io.kubeobserve.devstack.cluster;

/**
 * The node pressure conditions the kubelet's eviction manager sets, with the names it uses
 * (pkg/kubelet/nodestatus/setters.go for conditions and their events, pkg/kubelet/eviction for
 * signals and the resource an eviction reclaims), and the NoSchedule taint the node lifecycle
 * controller derives from each condition (TaintNodesByCondition).
 *
 * <p>Only MemoryPressure has recorded fixtures; DiskPressure and PIDPressure are built from the same
 * code paths and the documented behaviour (kubernetes.io, "Node-pressure Eviction").
 */
public enum NodePressure {
  /** {@code memory.available} below its threshold. */
  MEMORY("MemoryPressure", "KubeletHasInsufficientMemory", "kubelet has insufficient memory available",
      "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasInsufficientMemory",
      "NodeHasSufficientMemory", "node.kubernetes.io/memory-pressure", "memory.available", "memory"),
  /** {@code nodefs.available} (or {@code imagefs.available}) below its threshold. */
  DISK("DiskPressure", "KubeletHasDiskPressure", "kubelet has disk pressure", "KubeletHasNoDiskPressure",
      "kubelet has no disk pressure", "NodeHasDiskPressure", "NodeHasNoDiskPressure",
      "node.kubernetes.io/disk-pressure", "nodefs.available", "ephemeral-storage"),
  /** {@code pid.available} below its threshold. */
  PID("PIDPressure", "KubeletHasInsufficientPID", "kubelet has insufficient PID available",
      "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasInsufficientPID",
      "NodeHasSufficientPID", "node.kubernetes.io/pid-pressure", "pid.available", "pids");

  private final String condition;
  private final String pressureReason;
  private final String pressureMessage;
  private final String normalReason;
  private final String normalMessage;
  private final String pressureEvent;
  private final String normalEvent;
  private final String taint;
  private final String signal;
  private final String resource;

  NodePressure(String condition, String pressureReason, String pressureMessage, String normalReason,
      String normalMessage, String pressureEvent, String normalEvent, String taint, String signal, String resource) {
    this.condition = condition;
    this.pressureReason = pressureReason;
    this.pressureMessage = pressureMessage;
    this.normalReason = normalReason;
    this.normalMessage = normalMessage;
    this.pressureEvent = pressureEvent;
    this.normalEvent = normalEvent;
    this.taint = taint;
    this.signal = signal;
    this.resource = resource;
  }

  /** The node condition type ({@code MemoryPressure}). */
  public String condition() {
    return condition;
  }

  /** The condition's reason while True ({@code KubeletHasInsufficientMemory}). */
  public String pressureReason() {
    return pressureReason;
  }

  /** The condition's message while True. */
  public String pressureMessage() {
    return pressureMessage;
  }

  /** The condition's reason while False ({@code KubeletHasSufficientMemory}). */
  public String normalReason() {
    return normalReason;
  }

  /** The condition's message while False. */
  public String normalMessage() {
    return normalMessage;
  }

  /** The kubelet's event reason when the condition turns True ({@code NodeHasInsufficientMemory}). */
  public String pressureEvent() {
    return pressureEvent;
  }

  /** The kubelet's event reason when the condition turns False ({@code NodeHasSufficientMemory}). */
  public String normalEvent() {
    return normalEvent;
  }

  /** The NoSchedule taint key ({@code node.kubernetes.io/memory-pressure}). */
  public String taint() {
    return taint;
  }

  /** The eviction signal ({@code memory.available}), the label of {@code kubelet_evictions}. */
  public String signal() {
    return signal;
  }

  /** The resource an eviction reclaims, as its messages name it ({@code memory}, {@code ephemeral-storage}, {@code pids}). */
  public String resource() {
    return resource;
  }
}
