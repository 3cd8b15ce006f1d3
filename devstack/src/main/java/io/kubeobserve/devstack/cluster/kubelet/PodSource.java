package io.kubeobserve.devstack.cluster.kubelet;

import java.util.List;

/**
 * Where a simulated kubelet learns which pods run on its node: the simulated API server's store in
 * the full simulation, a fixed list in tests. Called on every request, from request threads, so it
 * must be thread-safe and cheap.
 */
@FunctionalInterface
public interface PodSource {

  /**
   * The pods bound to {@code nodeName} now, as the kubelet sees them. A kubelet reports every pod
   * given here; pods that are gone (deleted, or evicted and cleaned up) should not be returned.
   */
  List<PodView> podsOnNode(String nodeName);

  /** A source that always returns {@code pods} for every node. */
  static PodSource fixed(List<PodView> pods) {
    List<PodView> copy = List.copyOf(pods);
    return node -> copy;
  }
}
