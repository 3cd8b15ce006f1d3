package io.kubeobserve.devstack.cluster.kubelet;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one kubelet response shows, taken at one instant: the renderers are pure functions of
 * a snapshot, so the four endpoints agree with each other when taken from the same snapshot.
 *
 * @param nodeName the node's name
 * @param now the instant of the snapshot (scenario time): every timestamp in the payloads
 * @param nodeStartTime when the node booted
 * @param node node-wide values
 * @param pods the pods on the node, in the order of the {@link PodSource}
 * @param evictions evictions so far by eviction signal ({@code memory.available}, ...)
 * @param claims usage of the persistent volume claims mounted by the pods
 */
public record KubeletSnapshot(
    String nodeName,
    Instant now,
    Instant nodeStartTime,
    NodeValues node,
    List<PodSample> pods,
    Map<String, Long> evictions,
    List<ClaimSample> claims) {

  public KubeletSnapshot {
    pods = List.copyOf(pods);
    evictions = Map.copyOf(evictions);
    claims = List.copyOf(claims);
  }

  /** Node-wide values; memory and filesystem in bytes, CPU in nanocores and core-nanoseconds. */
  public record NodeValues(
      long memoryCapacityBytes,
      long memoryAvailableBytes,
      long memoryWorkingSetBytes,
      long memoryUsageBytes,
      long memoryRssBytes,
      long pageFaults,
      long majorPageFaults,
      long cpuNanoCores,
      long cpuCoreNanoSeconds,
      long rxBytes,
      long txBytes,
      long fsCapacityBytes,
      long fsAvailableBytes,
      long fsUsedBytes,
      long inodes,
      long inodesFree,
      long maxPid,
      long processCount) {}

  /** A pod with its sandbox's network counters and its containers' samples (running ones only). */
  public record PodSample(PodView pod, Instant startTime, long rxBytes, long txBytes, List<ContainerSample> containers) {

    public PodSample {
      containers = List.copyOf(containers);
    }

    public long workingSetBytes() {
      return containers.stream().mapToLong(ContainerSample::workingSetBytes).sum();
    }

    public long usageBytes() {
      return containers.stream().mapToLong(ContainerSample::usageBytes).sum();
    }

    public long rssBytes() {
      return containers.stream().mapToLong(ContainerSample::rssBytes).sum();
    }

    public long cpuNanoCores() {
      return containers.stream().mapToLong(ContainerSample::cpuNanoCores).sum();
    }

    public long cpuCoreNanoSeconds() {
      return containers.stream().mapToLong(ContainerSample::cpuCoreNanoSeconds).sum();
    }

    public long pageFaults() {
      return containers.stream().mapToLong(ContainerSample::pageFaults).sum();
    }
  }

  /** One running container. */
  public record ContainerSample(
      PodView.ContainerView view,
      String containerId,
      Instant startTime,
      long cpuNanoCores,
      long cpuCoreNanoSeconds,
      long workingSetBytes,
      long usageBytes,
      long rssBytes,
      long pageFaults,
      long majorPageFaults,
      long maxUsageBytes,
      long rootfsUsedBytes,
      long rootfsInodesUsed,
      long logsUsedBytes,
      long oomEvents) {

    public String name() {
      return view.name();
    }
  }

  /** Usage of one persistent volume claim. */
  public record ClaimSample(String namespace, String claim, long capacityBytes, long usedBytes, long inodes, long inodesUsed) {

    public long availableBytes() {
      return Math.max(0, capacityBytes - usedBytes);
    }

    public long inodesFree() {
      return Math.max(0, inodes - inodesUsed);
    }
  }
}
