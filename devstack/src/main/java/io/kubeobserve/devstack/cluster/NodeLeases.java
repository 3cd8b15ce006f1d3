package io.kubeobserve.devstack.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.ClusterStore;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import java.time.Clock;

/**
 * The node heartbeats of the kubelets: one coordination.k8s.io/v1 Lease per node in
 * {@code kube-node-lease}, owned by the Node, held by the node, 40 s lease duration, its
 * {@code renewTime} renewed every 10 s while the node's kubelet runs (the kubelet's defaults).
 */
final class NodeLeases {

  /** The kubelet's renew interval (a quarter of the 40 s lease duration). */
  static final java.time.Duration RENEW_INTERVAL = java.time.Duration.ofSeconds(10);

  private static final String NAMESPACE = "kube-node-lease";

  private final ClusterStore store;
  private final ObjectUpdates updates;
  private final Clock clock;

  NodeLeases(ClusterStore store, Clock clock) {
    this.store = store;
    this.updates = new ObjectUpdates(store);
    this.clock = clock;
  }

  void create(SimulatedNode node) {
    ObjectNode lease = Json.MAPPER.createObjectNode().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
    ObjectNode metadata = lease.putObject("metadata").put("name", node.name()).put("namespace", NAMESPACE);
    metadata.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node")
        .put("name", node.name()).put("uid", node.uid());
    lease.putObject("spec").put("holderIdentity", node.name()).put("leaseDurationSeconds", 40)
        .put("renewTime", Json.microTime(clock.instant()));
    store.create(ResourceType.LEASES, lease);
  }

  /** Renews the Lease of every node whose kubelet runs. */
  void renew(Iterable<SimulatedNode> nodes) {
    for (SimulatedNode node : nodes) {
      if (node.kubeletRunning()) {
        updates.object(ResourceType.LEASES, NAMESPACE, node.name(),
            lease -> lease.withObjectProperty("spec").put("renewTime", Json.microTime(clock.instant())));
      }
    }
  }
}
