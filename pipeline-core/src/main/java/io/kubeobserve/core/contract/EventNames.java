package io.kubeobserve.core.contract;

/** The values of {@link Attributes#EVENT_NAME} on {@code k8s-events}. */
public final class EventNames {

  private EventNames() {}

  /** A Kubernetes Event, from the router; occurrence: event UID + count. */
  public static final String K8S_EVENT = "k8s.event";
  /** A container terminated, from the agent; occurrence: pod UID + container + restart count. */
  public static final String CONTAINER_TERMINATED = "k8s.container.terminated";
  /** A container waiting with a reason, from the agent; occurrence: pod UID + container + reason + restart count. */
  public static final String CONTAINER_WAITING = "k8s.container.waiting";
  /** A pod evicted by the kubelet, from the agent; occurrence: pod UID. */
  public static final String POD_EVICTED = "k8s.pod.evicted";
  /** A node condition transition, from the router; occurrence: node UID + condition + transition time. */
  public static final String NODE_CONDITION = "k8s.node.condition";
  /** The agent's minute heartbeat; occurrence: node + minute. */
  public static final String AGENT_HEARTBEAT = "kube_observe.agent.heartbeat";
}
