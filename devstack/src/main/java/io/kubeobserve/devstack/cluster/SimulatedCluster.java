package io.kubeobserve.devstack.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.ClusterStore;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import io.kubeobserve.devstack.cluster.api.SimulatedApiServer;
import io.kubeobserve.devstack.cluster.api.SimulatedApiServerOptions;
import io.kubeobserve.devstack.cluster.kubelet.KubeletFixtures;
import io.kubeobserve.devstack.cluster.kubelet.KubeletState;
import io.kubeobserve.devstack.cluster.logs.ContainerLogs;
import io.kubeobserve.devstack.process.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole simulated Kubernetes cluster on loopback: one {@link SimulatedApiServer} (HTTPS, its own
 * CA, which also issues the kubelets' certificates), N nodes each with its own simulated kubelet
 * (its port and InternalIP in the Node's status, so {@code nodes/proxy} reaches it, its pods read
 * from the API store), pods of realistic workloads ({@link Workload#CATALOG}: Deployments,
 * a StatefulSet, a DaemonSet, a Job) with the owner references, labels and container statuses their
 * controllers give them, container log files written for every running container under the logs
 * root, node Leases renewed as kubelets do, and one {@link ScenarioClock} for all of it.
 *
 * <p>{@link #podLifecycle()} and {@link #nodeLifecycle()} change the cluster the way the kubelet and
 * the controllers do (API objects, kubelet payloads, events and logs together); scenarios
 * ({@code io.kubeobserve.devstack.cluster.scenario}) are built on them.
 *
 * <p>Built by {@link #builder()}; same seed and shape, same names and uids. Lifecycle: {@link
 * #start()}, then {@link #close()} (safe twice).
 */
public final class SimulatedCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedCluster.class);

  private final Builder settings;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<String, SimulatedNode> nodes = new LinkedHashMap<>();
  private final Map<String, Workload> workloadOfPod = new ConcurrentHashMap<>();
  private ScenarioClock clock;
  private Path logsRoot;
  private boolean ownsLogsRoot;
  private SimulatedApiServer apiServer;
  private ContainerLogs logs;
  private EventRecorder events;
  private PodLifecycle podLifecycle;
  private NodeLifecycle nodeLifecycle;
  private ScenarioScheduler scheduler;
  private PodFactory podFactory;

  private SimulatedCluster(Builder settings) {
    this.settings = settings;
  }

  /** A builder with the defaults: 2 nodes, 4 pods per node, 2 log lines per second, real time, seed 42. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the API server, the kubelets and the log writers, and creates the nodes and pods. Calling
   * it again does nothing.
   *
   * @return this cluster
   */
  public SimulatedCluster start() {
    if (!started.compareAndSet(false, true)) {
      return this;
    }
    try {
      startAll();
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
    log.info("simulated cluster started: {} nodes, {} pods, API at {}, logs under {}", nodes.size(),
        workloadOfPod.size(), apiServer.url(), logsRoot);
    return this;
  }

  private void startAll() {
    clock = ScenarioClock.start(settings.startTime != null ? settings.startTime : Instant.now(), settings.speed);
    logsRoot = settings.logsRoot;
    if (logsRoot == null) {
      logsRoot = temporaryLogsRoot();
      ownsLogsRoot = true;
    }
    apiServer = SimulatedApiServer.start(SimulatedApiServerOptions.defaults().withClock(clock).withLogsRoot(logsRoot)
        .withHistoryWindow(settings.historyWindow));
    ClusterStore store = apiServer.store();
    logs = ContainerLogs.builder(logsRoot).clock(clock).linesPerSecond(settings.linesPerSecond).seed(settings.seed)
        .build().start();
    events = new EventRecorder(store, clock);
    podLifecycle = new PodLifecycle(store, events, logs, clock, name -> node(name).state());
    nodeLifecycle = new NodeLifecycle(store, events, podLifecycle, clock, this::node);
    scheduler = clock.scheduler("simulated-cluster");
    ClusterIds ids = new ClusterIds(settings.seed);
    podFactory = new PodFactory(ids);
    NodeLeases leases = new NodeLeases(store, clock);
    StorePodSource podSource = new StorePodSource(store);
    for (int index = 1; index <= settings.nodes; index++) {
      String name = "sim-node-" + index;
      SimulatedNode node = new SimulatedNode(name, ids.uid(), index, new KubeletState(name, clock), podSource,
          Set.of(apiServer.token()), apiServer.certificateAuthority(), settings.schema);
      nodes.put(name, node);
      int port = node.startKubelet();
      store.create(ResourceType.NODES, NodeFactory.node(name, node.uid(), index, node.state().memoryCapacityBytes(),
          port, ids, clock.instant()));
      leases.create(node);
    }
    for (Workload workload : settings.workloads) {
      store.ensureNamespace(workload.namespace());
    }
    placePods();
    scheduler.scheduleWithFixedDelay(() -> leases.renew(nodes.values()), NodeLeases.RENEW_INTERVAL,
        NodeLeases.RENEW_INTERVAL);
  }

  private void placePods() {
    List<Workload> daemonSets = settings.workloads.stream().filter(w -> w.kind() == WorkloadKind.DAEMON_SET).toList();
    List<Workload> others = settings.workloads.stream().filter(w -> w.kind() != WorkloadKind.DAEMON_SET).toList();
    int next = 0;
    for (SimulatedNode node : nodes.values()) {
      int placed = 0;
      for (Workload daemonSet : daemonSets) {
        createPod(daemonSet, node.name());
        placed++;
      }
      for (; placed < settings.podsPerNode && !others.isEmpty(); placed++) {
        createPod(others.get(next++ % others.size()), node.name());
      }
    }
  }

  /**
   * Creates a new running pod of {@code workload} on {@code nodeName} (as its controller and the
   * scheduler would, for a replacement) and starts its logs.
   */
  public ObjectNode createPod(Workload workload, String nodeName) {
    SimulatedNode node = node(nodeName);
    ObjectNode pod = podLifecycle.create(podFactory.pod(workload, nodeName, node.index(), "127.0.0.1", clock.instant()));
    workloadOfPod.put(Json.meta(pod, "uid"), workload);
    return pod;
  }

  /** The workload a pod of this cluster belongs to. */
  public Optional<Workload> workloadOf(String podUid) {
    return Optional.ofNullable(workloadOfPod.get(podUid));
  }

  /** The workloads of {@link Builder#workloads(List)}. */
  public List<Workload> workloads() {
    return settings.workloads;
  }

  /** Writes a kubeconfig for the API server (CA data, URL, token) to {@code file} and returns it. */
  public Path kubeconfig(Path file) {
    return apiServer().writeKubeconfig(file);
  }

  /** The API server. */
  public SimulatedApiServer apiServer() {
    requireStarted();
    return apiServer;
  }

  /** {@code https://127.0.0.1:<port>}. */
  public String url() {
    return apiServer().url();
  }

  /** The bearer token of the API server and the kubelets. */
  public String token() {
    return apiServer().token();
  }

  /** The objects of the cluster. */
  public ClusterStore store() {
    return apiServer().store();
  }

  /** The nodes, in order. */
  public List<SimulatedNode> nodes() {
    requireStarted();
    return List.copyOf(nodes.values());
  }

  /**
   * The node called {@code name}.
   *
   * @throws IllegalArgumentException when there is none
   */
  public SimulatedNode node(String name) {
    SimulatedNode node = nodes.get(requireNonNull(name, "name"));
    if (node == null) {
      throw new IllegalArgumentException("no node " + name + "; nodes: " + nodes.keySet());
    }
    return node;
  }

  /** The kubelet state (usage, counters) of node {@code name}. */
  public KubeletState kubeletState(String name) {
    return node(name).state();
  }

  /** The container log writers. */
  public ContainerLogs logs() {
    requireStarted();
    return logs;
  }

  /** The root of the pod log tree ({@code <root>/<ns>_<pod>_<uid>/<container>/<n>.log}), an agent's {@code logs.root}. */
  public Path logsRoot() {
    requireStarted();
    return logsRoot;
  }

  /** The event recorder of the kubelets and controllers. */
  public EventRecorder events() {
    requireStarted();
    return events;
  }

  /** What the kubelets do to pods. */
  public PodLifecycle podLifecycle() {
    requireStarted();
    return podLifecycle;
  }

  /** What the kubelets and the node controller do to nodes. */
  public NodeLifecycle nodeLifecycle() {
    requireStarted();
    return nodeLifecycle;
  }

  /** The cluster's clock (scenario time). */
  public ScenarioClock clock() {
    requireStarted();
    return clock;
  }

  /** A scheduler on the cluster's clock, closed with the cluster; scenarios run their steps on it. */
  public ScenarioScheduler scheduler() {
    requireStarted();
    return scheduler;
  }

  private void requireStarted() {
    if (!started.get()) {
      throw new IllegalStateException("the simulated cluster is not started");
    }
  }

  private static Path temporaryLogsRoot() {
    try {
      return Files.createTempDirectory("sim-pod-logs-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a logs root", e);
    }
  }

  /** Stops the scenarios' scheduler, the log writers, the kubelets and the API server. Safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (scheduler != null) {
      scheduler.close();
    }
    if (logs != null) {
      logs.close();
    }
    nodes.values().forEach(SimulatedNode::stopKubelet);
    if (apiServer != null) {
      apiServer.close();
    }
    if (ownsLogsRoot) {
      FileTrees.deleteQuietly(logsRoot);
    }
  }

  @Override
  public String toString() {
    return "SimulatedCluster[" + settings + (apiServer != null ? ", " + apiServer.url() : "") + "]";
  }

  /** Builds a {@link SimulatedCluster}. */
  public static final class Builder {
    private int nodes = 2;
    private int podsPerNode = 4;
    private Path logsRoot;
    private double linesPerSecond = 2;
    private double speed = 1;
    private long seed = 42;
    private Instant startTime;
    private int historyWindow = SimulatedApiServerOptions.DEFAULT_HISTORY_WINDOW;
    private KubeletFixtures.SummarySchema schema = KubeletFixtures.SummarySchema.V1_24;
    private List<Workload> workloads = Workload.CATALOG;

    private Builder() {}

    /** How many nodes ({@code sim-node-1} ...); default 2. */
    public Builder nodes(int nodes) {
      if (nodes < 1 || nodes > 100) {
        throw new IllegalArgumentException("nodes must be 1..100, got " + nodes);
      }
      this.nodes = nodes;
      return this;
    }

    /** Pods per node, DaemonSet pods included (at least those); default 4. */
    public Builder podsPerNode(int podsPerNode) {
      if (podsPerNode < 1 || podsPerNode > 110) {
        throw new IllegalArgumentException("podsPerNode must be 1..110, got " + podsPerNode);
      }
      this.podsPerNode = podsPerNode;
      return this;
    }

    /** Where container logs are written; default a temporary directory deleted at close. */
    public Builder logsRoot(Path logsRoot) {
      this.logsRoot = requireNonNull(logsRoot, "logsRoot");
      return this;
    }

    /** Log entries per second of scenario time per container; default 2, 0 writes only scenario lines. */
    public Builder linesPerSecond(double linesPerSecond) {
      if (!(linesPerSecond >= 0) || Double.isInfinite(linesPerSecond)) {
        throw new IllegalArgumentException("linesPerSecond must be >= 0, got " + linesPerSecond);
      }
      this.linesPerSecond = linesPerSecond;
      return this;
    }

    /** How many times faster than wall time the cluster runs; default 1 (real time). */
    public Builder speed(double speed) {
      if (!(speed > 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("speed must be a finite number > 0, got " + speed);
      }
      this.speed = speed;
      return this;
    }

    /** The seed of names, uids and log content; default 42. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The scenario time at start; default the wall time at start. */
    public Builder startTime(Instant startTime) {
      this.startTime = requireNonNull(startTime, "startTime");
      return this;
    }

    /** How many changes the API server keeps for watches; default 1000. */
    public Builder historyWindow(int changes) {
      this.historyWindow = changes;
      return this;
    }

    /** Which recorded {@code /stats/summary} schema the kubelets serve; default 1.24. */
    public Builder summarySchema(KubeletFixtures.SummarySchema schema) {
      this.schema = requireNonNull(schema, "schema");
      return this;
    }

    /** The workloads whose pods run; default {@link Workload#CATALOG}. */
    public Builder workloads(List<Workload> workloads) {
      this.workloads = List.copyOf(workloads);
      return this;
    }

    /** The cluster, not yet started. */
    public SimulatedCluster build() {
      return new SimulatedCluster(this);
    }

    @Override
    public String toString() {
      return "nodes=" + nodes + ", podsPerNode=" + podsPerNode + ", linesPerSecond=" + linesPerSecond + ", speed="
          + speed + ", seed=" + seed + ", logsRoot=" + (logsRoot == null ? "temporary" : logsRoot);
    }
  }
}
