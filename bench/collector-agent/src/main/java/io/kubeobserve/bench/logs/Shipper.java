package io.kubeobserve.bench.logs;

import io.kubeobserve.devstack.process.ChildProcess;

/**
 * One log shipper under measurement (the agent or the peer) with what it has delivered: records
 * counted on its topic, and the CPU time its process had used when the count last grew, so that
 * a backlog's cost ends where its last line arrived.
 */
final class Shipper {

  final String name;
  final ChildProcess process;
  final TopicCounter counter;
  private long countAtLastGrowth = -1;
  private long cpuAtLastGrowth;
  private long nanosAtLastGrowth;
  private long peakRss;

  Shipper(String name, ChildProcess process, TopicCounter counter) {
    this.name = name;
    this.process = process;
    this.counter = counter;
  }

  long cpuNanos() {
    return ProcStats.cpuNanos(process.pid());
  }

  /** Samples CPU and RSS; call about once a second. */
  void sample() {
    long count = counter.lines();
    long now = System.nanoTime();
    if (count != countAtLastGrowth) {
      countAtLastGrowth = count;
      cpuAtLastGrowth = cpuNanos();
      nanosAtLastGrowth = now;
    }
    peakRss = Math.max(peakRss, ProcStats.memoryBytes(process.pid(), "VmRSS"));
  }

  /** Whether the count stopped growing {@code quietNanos} ago (or reached {@code expected}). */
  boolean settled(long expected, long quietNanos) {
    return countAtLastGrowth >= expected || (countAtLastGrowth > 0 && System.nanoTime() - nanosAtLastGrowth > quietNanos);
  }

  long cpuAtLastGrowth() {
    return cpuAtLastGrowth;
  }

  long nanosAtLastGrowth() {
    return nanosAtLastGrowth;
  }

  /** Highest RSS sampled since {@link #resetPeakRss()}. */
  long peakRss() {
    return peakRss;
  }

  void resetPeakRss() {
    peakRss = 0;
  }
}
