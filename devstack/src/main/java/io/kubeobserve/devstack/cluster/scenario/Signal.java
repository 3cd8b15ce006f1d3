package io.kubeobserve.devstack.cluster.scenario;

/**
 * What kind of thing happened, named after the signals the pipeline reports on {@code k8s-events}
 * ({@code event.name}), so pipeline tests can match what they read with what happened.
 */
public enum Signal {
  /** A container terminated ({@code k8s.container.terminated}): OOMKilled, Error. */
  CONTAINER_TERMINATED("k8s.container.terminated"),
  /** A container waits to be restarted ({@code k8s.container.waiting}): CrashLoopBackOff. */
  CONTAINER_WAITING("k8s.container.waiting"),
  /** The kubelet evicted a pod ({@code k8s.pod.evicted}). */
  POD_EVICTED("k8s.pod.evicted"),
  /** A node condition changed status ({@code k8s.node.condition}). */
  NODE_CONDITION("k8s.node.condition");

  private final String eventName;

  Signal(String eventName) {
    this.eventName = eventName;
  }

  /** The pipeline's {@code event.name} for this signal. */
  public String eventName() {
    return eventName;
  }
}
