package io.kubeobserve.devstack.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.kubelet.KubeletFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The recorded Kubernetes objects the simulated cluster's objects are shaped after (resources next
 * to the kubelet recordings, listed in their {@code SOURCES.md}). Each call returns a fresh copy.
 */
final class ClusterFixtures {

  /** A GKE v1.30 node: nodeInfo, capacity, allocatable, 22 conditions (kubelet's and NPD's). */
  static final String NODE = "node_memorypressure-true_gke-cos.json";
  /** The node lifecycle controller's conditions after the kubelet stopped posting status. */
  static final String NODE_UNKNOWN = "node_ready-unknown_nodestatusunknown_nodecontroller-test.json";
  /** A GKE pod: the spec and status shape of a pod with a projected service account volume. */
  static final String POD = "pod_oomkilled-lastState_crashloop-restarts9_gke-containerd.json";

  private ClusterFixtures() {}

  static ObjectNode object(String name) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(KubeletFixtures.text(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse fixture " + name, e);
    }
  }
}
