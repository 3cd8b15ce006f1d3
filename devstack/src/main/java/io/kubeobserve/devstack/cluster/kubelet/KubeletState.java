package io.kubeobserve.devstack.cluster.kubelet;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mutable state of one simulated node: node memory, filesystem and PIDs, the usage of each
 * container, OOM and eviction counters, volume claim usage. Scenarios steer it; {@link
 * #snapshot(List)} freezes it, at the clock's now, for the renderers. Thread-safe.
 *
 * <p>Defaults come from the recorded 1.24 {@code /stats/summary} ({@link KubeletFixtures}): the
 * node's memory capacity (recorded available + working set), its overhead outside pods (recorded
 * node values minus the recorded {@code pods} system container), filesystem and inode sizes, PID
 * limit and process count, and its uptime; each container starts from a recorded container's values
 * ({@link KubeletFixtures#profileFor(String)}). Unless a scenario overrides them, node memory and
 * filesystem use follow the containers: available memory = capacity − overhead − pods' working sets.
 */
public final class KubeletState {

  /** Default capacity of a persistent volume claim whose usage no scenario set (10 GiB). */
  public static final long DEFAULT_CLAIM_CAPACITY = 10L << 30;

  private final String nodeName;
  private final Clock clock;
  private final KubeletFixtures fixtures;
  private final Instant nodeStartTime;
  private final long memoryCapacity;
  private final long overheadWorkingSet;
  private final long overheadUsage;
  private final long overheadRss;
  private final long overheadNanoCores;
  private final long recordedMajorPageFaults;
  private final ClockedCounter nodeCpuSeconds;
  private final ClockedCounter nodePageFaults;
  private final ClockedCounter nodeRx;
  private final ClockedCounter nodeTx;
  private final long fsCapacity;
  private final long fsUsedBaseline;
  private final long inodes;
  private final long inodesUsedBaseline;
  private final long maxPid;
  private final long processCountBaseline;
  private final Map<String, ContainerUsage> containers = new ConcurrentHashMap<>();
  private final Map<String, PodNetwork> networks = new ConcurrentHashMap<>();
  private final Map<String, Long> evictions = new ConcurrentHashMap<>();
  private final Map<String, KubeletSnapshot.ClaimSample> claims = new ConcurrentHashMap<>();
  private volatile Long memoryAvailableOverride;
  private volatile Long fsAvailableOverride;
  private volatile Long inodesFreeOverride;
  private volatile Long processCountOverride;

  private record PodNetwork(Instant startTime, ClockedCounter rx, ClockedCounter tx) {}

  /** State for node {@code nodeName} with the recorded defaults, on {@code clock}. */
  public KubeletState(String nodeName, Clock clock) {
    this.nodeName = requireNonNull(nodeName, "nodeName");
    this.clock = requireNonNull(clock, "clock");
    this.fixtures = KubeletFixtures.get();
    JsonNode node = fixtures.summary(KubeletFixtures.SummarySchema.V1_24).path("node");
    JsonNode pods = podsSystemContainer(node);
    JsonNode memory = node.path("memory");
    Instant recordedAt = Instant.parse(memory.path("time").asText());
    Duration uptime = Duration.between(Instant.parse(node.path("startTime").asText()), recordedAt);
    Instant now = clock.instant();
    this.nodeStartTime = now.minus(uptime);
    double uptimeSeconds = Math.max(1, uptime.toSeconds());
    this.memoryCapacity = memory.path("availableBytes").asLong() + memory.path("workingSetBytes").asLong();
    this.overheadWorkingSet = memory.path("workingSetBytes").asLong() - pods.path("memory").path("workingSetBytes").asLong();
    this.overheadUsage = memory.path("usageBytes").asLong() - pods.path("memory").path("usageBytes").asLong();
    this.overheadRss = memory.path("rssBytes").asLong() - pods.path("memory").path("rssBytes").asLong();
    this.overheadNanoCores = Math.max(0, node.path("cpu").path("usageNanoCores").asLong() - pods.path("cpu").path("usageNanoCores").asLong());
    this.recordedMajorPageFaults = memory.path("majorPageFaults").asLong();
    this.nodeCpuSeconds = new ClockedCounter(node.path("cpu").path("usageCoreNanoSeconds").asLong() / 1e9,
        node.path("cpu").path("usageNanoCores").asLong() / 1e9, now);
    this.nodePageFaults = new ClockedCounter(memory.path("pageFaults").asLong(),
        memory.path("pageFaults").asLong() / uptimeSeconds, now);
    JsonNode network = node.path("network");
    this.nodeRx = new ClockedCounter(network.path("rxBytes").asLong(), network.path("rxBytes").asLong() / uptimeSeconds, now);
    this.nodeTx = new ClockedCounter(network.path("txBytes").asLong(), network.path("txBytes").asLong() / uptimeSeconds, now);
    JsonNode fs = node.path("fs");
    this.fsCapacity = fs.path("capacityBytes").asLong();
    this.fsUsedBaseline = fs.path("capacityBytes").asLong() - fs.path("availableBytes").asLong();
    this.inodes = fs.path("inodes").asLong();
    this.inodesUsedBaseline = fs.path("inodesUsed").asLong();
    this.maxPid = node.path("rlimit").path("maxpid").asLong();
    this.processCountBaseline = node.path("rlimit").path("curproc").asLong();
  }

  public String nodeName() {
    return nodeName;
  }

  public Clock clock() {
    return clock;
  }

  public Instant nodeStartTime() {
    return nodeStartTime;
  }

  /** The node's memory capacity ({@code machine_memory_bytes}). */
  public long memoryCapacityBytes() {
    return memoryCapacity;
  }

  /** The usage of a container, created from its recorded profile the first time it is asked for. */
  public ContainerUsage container(String podUid, String containerName) {
    return containers.computeIfAbsent(podUid + "/" + containerName,
        key -> new ContainerUsage(fixtures.profileFor(containerName), clock.instant(), 0));
  }

  /** Forgets the state of a pod that is gone. */
  public void forgetPod(String podUid) {
    containers.keySet().removeIf(key -> key.startsWith(podUid + "/"));
    networks.remove(podUid);
  }

  /** Fixes the node's available memory (eviction signal {@code memory.available}); null follows the pods again. */
  public void setMemoryAvailableBytes(Long bytes) {
    memoryAvailableOverride = bytes;
  }

  /** Fixes the node filesystem's available bytes ({@code nodefs.available}); null returns to the baseline. */
  public void setFsAvailableBytes(Long bytes) {
    fsAvailableOverride = bytes;
  }

  /** Fixes the node filesystem's free inodes ({@code nodefs.inodesFree}); null returns to the baseline. */
  public void setInodesFree(Long count) {
    inodesFreeOverride = count;
  }

  /** Fixes the node's process count ({@code pid.available} = maxpid − this); null returns to the baseline. */
  public void setProcessCount(Long count) {
    processCountOverride = count;
  }

  /** The node's PID limit ({@code rlimit.maxpid}). */
  public long maxPid() {
    return maxPid;
  }

  /** Counts one eviction for {@code signal} ({@code memory.available}, {@code nodefs.available}, {@code pid.available}, ...). */
  public void recordEviction(String signal) {
    evictions.merge(requireNonNull(signal, "signal"), 1L, Long::sum);
  }

  /** Sets the usage of a persistent volume claim. */
  public void setClaimUsage(String namespace, String claim, long capacityBytes, long usedBytes) {
    claims.put(namespace + "/" + claim, new KubeletSnapshot.ClaimSample(namespace, claim, capacityBytes, usedBytes,
        inodes, Math.max(1, usedBytes / (64 * 1024))));
  }

  /** Freezes the state at the clock's now, for {@code pods} (those the {@link PodSource} returned). */
  public KubeletSnapshot snapshot(List<PodView> pods) {
    Instant now = clock.instant();
    List<KubeletSnapshot.PodSample> podSamples = new ArrayList<>();
    Map<String, KubeletSnapshot.ClaimSample> podClaims = new LinkedHashMap<>();
    for (PodView pod : pods) {
      List<KubeletSnapshot.ContainerSample> samples = new ArrayList<>();
      for (PodView.ContainerView view : pod.containers()) {
        ContainerUsage usage = container(pod.uid(), view.name());
        usage.observeRestartCount(view.restartCount(), now);
        if (view.state() == PodView.ContainerState.RUNNING) {
          samples.add(usage.sample(pod, view, now));
        }
      }
      PodNetwork network = network(pod);
      podSamples.add(new KubeletSnapshot.PodSample(pod, network.startTime(),
          Math.round(network.rx().valueAt(now)), Math.round(network.tx().valueAt(now)), samples));
      for (PodView.VolumeView volume : pod.volumes()) {
        if (volume.persistentVolumeClaim() != null) {
          String key = pod.namespace() + "/" + volume.persistentVolumeClaim();
          podClaims.put(key, claims.computeIfAbsent(key, k -> new KubeletSnapshot.ClaimSample(pod.namespace(),
              volume.persistentVolumeClaim(), DEFAULT_CLAIM_CAPACITY, DEFAULT_CLAIM_CAPACITY / 50, inodes, 1200)));
        }
      }
    }
    return new KubeletSnapshot(nodeName, now, nodeStartTime, nodeValues(now, podSamples), podSamples,
        new LinkedHashMap<>(evictions), new ArrayList<>(podClaims.values()));
  }

  private KubeletSnapshot.NodeValues nodeValues(Instant now, List<KubeletSnapshot.PodSample> pods) {
    long podsWorkingSet = pods.stream().mapToLong(KubeletSnapshot.PodSample::workingSetBytes).sum();
    long podsUsage = pods.stream().mapToLong(KubeletSnapshot.PodSample::usageBytes).sum();
    long podsRss = pods.stream().mapToLong(KubeletSnapshot.PodSample::rssBytes).sum();
    long podsNanoCores = pods.stream().mapToLong(KubeletSnapshot.PodSample::cpuNanoCores).sum();
    Long availableOverride = memoryAvailableOverride;
    long available = availableOverride != null ? availableOverride
        : Math.max(0, memoryCapacity - overheadWorkingSet - podsWorkingSet);
    long workingSet = Math.max(0, memoryCapacity - available);
    nodeCpuSeconds.setRate((overheadNanoCores + podsNanoCores) / 1e9, now);
    Long fsOverride = fsAvailableOverride;
    long fsAvailable = fsOverride != null ? fsOverride : fsCapacity - fsUsedBaseline;
    Long inodesOverride = inodesFreeOverride;
    long inodesFree = inodesOverride != null ? inodesOverride : inodes - inodesUsedBaseline;
    Long processOverride = processCountOverride;
    return new KubeletSnapshot.NodeValues(
        memoryCapacity,
        available,
        workingSet,
        Math.max(workingSet, overheadUsage + podsUsage),
        Math.min(workingSet, overheadRss + podsRss),
        Math.round(nodePageFaults.valueAt(now)),
        recordedMajorPageFaults,
        overheadNanoCores + podsNanoCores,
        Math.round(nodeCpuSeconds.valueAt(now) * 1e9),
        Math.round(nodeRx.valueAt(now)),
        Math.round(nodeTx.valueAt(now)),
        fsCapacity,
        fsAvailable,
        fsCapacity - fsAvailable,
        inodes,
        inodesFree,
        maxPid,
        processOverride != null ? processOverride : processCountBaseline);
  }

  private PodNetwork network(PodView pod) {
    return networks.computeIfAbsent(pod.uid(), uid -> {
      Instant now = clock.instant();
      String first = pod.containers().isEmpty() ? pod.name() : pod.containers().get(0).name();
      ContainerProfile profile = fixtures.profileFor(first);
      return new PodNetwork(now, new ClockedCounter(0, profile.rxBytesPerSecond(), now),
          new ClockedCounter(0, profile.txBytesPerSecond(), now));
    });
  }

  private static JsonNode podsSystemContainer(JsonNode node) {
    for (JsonNode container : node.path("systemContainers")) {
      if ("pods".equals(container.path("name").asText())) {
        return container;
      }
    }
    throw new IllegalStateException("the recorded summary has no 'pods' system container");
  }

  @Override
  public String toString() {
    return "KubeletState[" + nodeName + ", containers=" + containers.size() + "]";
  }
}
