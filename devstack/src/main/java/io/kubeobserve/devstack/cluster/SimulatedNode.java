package io.kubeobserve.devstack.cluster;

import io.kubeobserve.devstack.cluster.kubelet.KubeletFixtures;
import io.kubeobserve.devstack.cluster.kubelet.KubeletSnapshot;
import io.kubeobserve.devstack.cluster.kubelet.KubeletState;
import io.kubeobserve.devstack.cluster.kubelet.PodSource;
import io.kubeobserve.devstack.cluster.kubelet.SimulatedKubelet;
import io.kubeobserve.devstack.tls.LocalCertificateAuthority;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a {@link SimulatedCluster}: its name and uid, its {@link KubeletState} and its
 * {@link SimulatedKubelet}, which can be stopped (the kubelet no longer answers, as when it crashed)
 * and started again on the same port. Thread-safe.
 */
public final class SimulatedNode {

  private static final Logger log = LoggerFactory.getLogger(SimulatedNode.class);

  private final String name;
  private final String uid;
  private final int index;
  private final KubeletState state;
  private final PodSource pods;
  private final Set<String> tokens;
  private final LocalCertificateAuthority ca;
  private final KubeletFixtures.SummarySchema schema;
  private SimulatedKubelet kubelet;
  private int port;

  SimulatedNode(String name, String uid, int index, KubeletState state, PodSource pods, Set<String> tokens,
      LocalCertificateAuthority ca, KubeletFixtures.SummarySchema schema) {
    this.name = name;
    this.uid = uid;
    this.index = index;
    this.state = state;
    this.pods = pods;
    this.tokens = Set.copyOf(tokens);
    this.ca = ca;
    this.schema = schema;
  }

  /** {@code metadata.name} of the Node. */
  public String name() {
    return name;
  }

  /** {@code metadata.uid} of the Node. */
  public String uid() {
    return uid;
  }

  /** The node's position in the cluster, from 1. */
  public int index() {
    return index;
  }

  /** The usage the kubelet reports; scenarios steer it. */
  public KubeletState state() {
    return state;
  }

  /** The running kubelet, or empty while it is stopped. */
  public synchronized Optional<SimulatedKubelet> kubelet() {
    return Optional.ofNullable(kubelet);
  }

  /** What the kubelet reports now (also while it is stopped, for scenarios that steer the node). */
  public KubeletSnapshot snapshot() {
    return state.snapshot(pods.podsOnNode(name));
  }

  /** Whether the kubelet answers. */
  public synchronized boolean kubeletRunning() {
    return kubelet != null;
  }

  /** The kubelet's port (kept while it is stopped, reused when it starts again). */
  public synchronized int kubeletPort() {
    return port;
  }

  /** The kubelet's base URL {@code https://127.0.0.1:<port>} (the agent's {@code kubelet.url}). */
  public synchronized URI kubeletUrl() {
    return URI.create("https://127.0.0.1:" + port);
  }

  /**
   * Starts the kubelet, on its former port when it ran before (a random one the first time, or when
   * the former one cannot be bound again); does nothing when it runs.
   *
   * @return the port it listens on
   */
  synchronized int startKubelet() {
    if (kubelet == null) {
      try {
        kubelet = SimulatedKubelet.start(state, pods, tokens, ca, schema, port);
      } catch (UncheckedIOException e) {
        log.warn("kubelet of {} cannot listen on its former port {} again; taking a new one", name, port, e);
        kubelet = SimulatedKubelet.start(state, pods, tokens, ca, schema, 0);
      }
      port = kubelet.port();
    }
    return port;
  }

  /** Stops the kubelet: its port refuses connections until {@link #startKubelet()}. */
  synchronized void stopKubelet() {
    if (kubelet != null) {
      kubelet.close();
      kubelet = null;
    }
  }

  @Override
  public String toString() {
    return "SimulatedNode[" + name + ", kubelet " + (kubeletRunning() ? "on port " + kubeletPort() : "stopped") + "]";
  }
}
