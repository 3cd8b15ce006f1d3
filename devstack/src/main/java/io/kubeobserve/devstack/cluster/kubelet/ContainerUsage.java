package io.kubeobserve.devstack.cluster.kubelet;

import java.time.Instant;

/**
 * The resource usage of one simulated container, which a scenario steers: memory working set
 * (RSS and usage follow it in the recorded proportions), CPU rate, filesystem use and OOM events.
 * Cumulative values (CPU seconds, page faults) grow with the clock at the current rate. Thread-safe.
 *
 * <p>A new restart count (seen through the {@link PodSource}) is a new container: its start time is
 * then, its CPU and page-fault counters start from zero, as cAdvisor reports a new cgroup. The OOM
 * event count is kept per (pod, container name) across restarts, so that {@code
 * container_oom_events_total} of the container's current series shows the OOM kills it had.
 */
public final class ContainerUsage {

  private static final long MIN_NANO_CORES = 1_000_000;

  private final ContainerProfile profile;
  private final ClockedCounter cpuSeconds;
  private final ClockedCounter pageFaults;
  private long workingSetBytes;
  private long rootfsUsedBytes;
  private long logsUsedBytes;
  private long maxUsageBytes;
  private long oomEvents;
  private int restartCount;
  private Instant startTime;

  ContainerUsage(ContainerProfile profile, Instant now, int restartCount) {
    this.profile = profile;
    // an idle recorded container (0 nanocores) would freeze the counter: at least one millicore
    this.cpuSeconds = new ClockedCounter(0, Math.max(profile.cpuNanoCores(), MIN_NANO_CORES) / 1e9, now);
    this.pageFaults = new ClockedCounter(0, profile.pageFaultsPerSecond(), now);
    this.workingSetBytes = profile.workingSetBytes();
    this.rootfsUsedBytes = profile.rootfsUsedBytes();
    this.logsUsedBytes = profile.logsUsedBytes();
    this.maxUsageBytes = usageBytes();
    this.restartCount = restartCount;
    this.startTime = now;
  }

  /** The recorded container this one's values started from. */
  public ContainerProfile profile() {
    return profile;
  }

  /** Sets the memory working set; RSS and total usage follow in the recorded proportions. */
  public synchronized void setWorkingSetBytes(long bytes) {
    workingSetBytes = Math.max(0, bytes);
    maxUsageBytes = Math.max(maxUsageBytes, usageBytes());
  }

  public synchronized long workingSetBytes() {
    return workingSetBytes;
  }

  /** RSS: the working set scaled by the recorded RSS/working-set ratio. */
  public synchronized long rssBytes() {
    return profile.workingSetBytes() == 0 ? workingSetBytes
        : Math.min(workingSetBytes, Math.round(workingSetBytes * (double) profile.rssBytes() / profile.workingSetBytes()));
  }

  /** Total usage: the working set plus the recorded inactive page cache. */
  public synchronized long usageBytes() {
    return workingSetBytes + Math.max(0, profile.usageBytes() - profile.workingSetBytes());
  }

  /** The highest usage since the container started. */
  public synchronized long maxUsageBytes() {
    return maxUsageBytes;
  }

  /** Sets the CPU rate in cores (0.25 = a quarter of one core) from {@code now} on. */
  public void setCpuCores(double cores, Instant now) {
    cpuSeconds.setRate(cores, now);
  }

  /** The CPU rate in cores. */
  public double cpuCores() {
    return cpuSeconds.rate();
  }

  /** Sets the bytes the container's writable layer uses. */
  public synchronized void setRootfsUsedBytes(long bytes) {
    rootfsUsedBytes = Math.max(0, bytes);
  }

  /** Sets the bytes the container's log files use. */
  public synchronized void setLogsUsedBytes(long bytes) {
    logsUsedBytes = Math.max(0, bytes);
  }

  /** Counts one OOM kill of this container ({@code container_oom_events_total} + 1). */
  public synchronized void recordOomKill() {
    oomEvents++;
  }

  public synchronized long oomEvents() {
    return oomEvents;
  }

  public synchronized int restartCount() {
    return restartCount;
  }

  public synchronized Instant startTime() {
    return startTime;
  }

  /** Notes the restart count the API shows; a new one starts a new container. */
  synchronized void observeRestartCount(int count, Instant now) {
    if (count != restartCount) {
      restartCount = count;
      startTime = now;
      cpuSeconds.reset(now);
      pageFaults.reset(now);
      workingSetBytes = profile.workingSetBytes();
      maxUsageBytes = usageBytes();
    }
  }

  synchronized KubeletSnapshot.ContainerSample sample(PodView pod, PodView.ContainerView view, Instant now) {
    return new KubeletSnapshot.ContainerSample(
        view,
        ContainerIds.containerId(pod.uid(), view.name(), restartCount),
        startTime,
        Math.round(cpuSeconds.rate() * 1e9),
        Math.round(cpuSeconds.valueAt(now) * 1e9),
        workingSetBytes,
        usageBytes(),
        rssBytes(),
        Math.round(pageFaults.valueAt(now)),
        profile.majorPageFaults(),
        maxUsageBytes,
        rootfsUsedBytes,
        profile.rootfsInodesUsed(),
        logsUsedBytes,
        oomEvents);
  }
}
