package io.kubeobserve.devstack.cluster.scenario;

import io.kubeobserve.devstack.cluster.NodeLifecycle;
import io.kubeobserve.devstack.cluster.NodePressure;
import java.time.Duration;

/**
 * {@link Action.NodeNotReady}: the kubelet posts Ready False ({@code KubeletNotReady}, its PLEG is
 * unhealthy) and 5 s later stops: its endpoint refuses connections and its Lease is no longer renewed.
 * After {@code unknownAfter} (the node monitor grace period, 40 s by default) the node lifecycle
 * controller sets Ready and the pressure conditions Unknown ({@code NodeStatusUnknown}), replaces
 * the not-ready taint with the unreachable NoSchedule and NoExecute taints and marks the node's pods
 * not ready. After {@code recoverAfter} the kubelet starts again on its port and the node is Ready.
 */
final class NodeNotReadyIncident {

  /** The kubelet's message when its pod lifecycle event generator stalls. */
  static final String PLEG_MESSAGE = "PLEG is not healthy: pleg was last seen active 3m0.2s ago; threshold is 3m0s";
  private static final Duration KUBELET_STOPS_AFTER = Duration.ofSeconds(5);

  private NodeNotReadyIncident() {}

  static void start(IncidentContext ctx, Action.NodeNotReady action) {
    String node = ctx.lastNodeUnlessNamed(action.node());
    NodeLifecycle nodes = ctx.cluster().nodeLifecycle();
    nodes.notReady(node, PLEG_MESSAGE);
    ctx.recordCondition(node, "Ready", "True", "False", "KubeletNotReady", PLEG_MESSAGE);
    ctx.after(KUBELET_STOPS_AFTER, () -> nodes.stopKubelet(node));
    Duration unknownAt = KUBELET_STOPS_AFTER.plus(action.unknownAfter());
    ctx.after(unknownAt, () -> {
      nodes.unreachable(node);
      var ready = conditionOf(ctx, node, "Ready");
      ctx.recordCondition(node, "Ready", "False", "Unknown", ready[0], ready[1]);
      for (NodePressure pressure : NodePressure.values()) {
        var condition = conditionOf(ctx, node, pressure.condition());
        ctx.recordCondition(node, pressure.condition(), "False", "Unknown", condition[0], condition[1]);
      }
    });
    ctx.after(unknownAt.plus(action.recoverAfter()), () -> {
      nodes.ready(node);
      for (NodePressure pressure : NodePressure.values()) {
        ctx.recordCondition(node, pressure.condition(), "Unknown", "False", pressure.normalReason(),
            pressure.normalMessage());
      }
      ctx.recordCondition(node, "Ready", "Unknown", "True", "KubeletReady", "kubelet is posting ready status");
    });
  }

  /** The reason and message of the node's condition {@code type} as stored. */
  private static String[] conditionOf(IncidentContext ctx, String node, String type) {
    for (var condition : ctx.cluster().nodeLifecycle().get(node).path("status").path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return new String[] {condition.path("reason").asText(), condition.path("message").asText()};
      }
    }
    return new String[] {"", ""};
  }
}
