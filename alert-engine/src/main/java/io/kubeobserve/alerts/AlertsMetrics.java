package io.kubeobserve.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The alert-engine's own meters ({@code kube_observe.alerts.*}). */
public final class AlertsMetrics {

  private final MeterRegistry registry;
  private final Map<String, Integer> openByPartition = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lagByGroup = new ConcurrentHashMap<>();
  private final Counter duplicates;
  private final Counter unplaced;
  private final Counter deadLettered;
  private final Counter unrouted;
  private final Timer detectionLatency;

  public AlertsMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("kube_observe.alerts.incidents.open", openByPartition,
            map -> map.values().stream().mapToInt(Integer::intValue).sum())
        .description("Incidents firing, over the partitions this instance owns").register(registry);
    duplicates = Counter.builder("kube_observe.alerts.occurrences.duplicate")
        .description("Occurrences already folded into an incident (the same one from two producers, or replayed)")
        .register(registry);
    unplaced = Counter.builder("kube_observe.alerts.records.unplaced")
        .description("Pod records that name no node (the router's pod Events), not used for incidents")
        .register(registry);
    deadLettered = Counter.builder("kube_observe.alerts.records.deadlettered")
        .description("Input records that could not be decoded, sent to the dead-letter topic").register(registry);
    unrouted = Counter.builder("kube_observe.alerts.notifications.unrouted")
        .description("Messages decided while no receiver is configured").register(registry);
    detectionLatency = Timer.builder("kube_observe.alerts.detection.latency")
        .description("From the signal's time to the first FIRING message delivered")
        .publishPercentiles(0.5, 0.99).register(registry);
  }

  /** The incidents firing in one partition's store. */
  public void open(String partition, int firing) {
    openByPartition.put(partition, firing);
  }

  /** A partition's store is no longer this instance's. */
  public void closed(String partition) {
    openByPartition.remove(partition);
  }

  public void duplicate() {
    duplicates.increment();
  }

  public void unplaced(int count) {
    unplaced.increment(count);
  }

  public void deadLettered() {
    deadLettered.increment();
  }

  public void unrouted() {
    unrouted.increment();
  }

  public void detectionLatency(Duration latency) {
    detectionLatency.record(latency.isNegative() ? Duration.ZERO : latency);
  }

  /** The lag the engine last read for a consumer group of the pipeline (records behind its topics). */
  public void consumerLag(String group, long records) {
    lagByGroup.computeIfAbsent(group, name -> {
      AtomicLong lag = new AtomicLong();
      Gauge.builder("kube_observe.alerts.consumer.lag", lag, AtomicLong::get).tag("group", name).baseUnit("records")
          .description("The lag of a consumer group of the pipeline, as last read by the engine").register(registry);
      return lag;
    }).set(records);
  }

  /** A read of a consumer group's lag that failed (tried again at the next interval). */
  public void consumerLagReadFailed(String group) {
    lagReadFailures(group).increment();
  }

  /**
   * Registers the read failures of a group whose lag is watched at zero; its lag gauge shows once
   * the lag was read.
   */
  public void lagWatched(String group) {
    lagReadFailures(group);
  }

  private Counter lagReadFailures(String group) {
    return Counter.builder("kube_observe.alerts.consumer.lag.read.failures").tag("group", group)
        .description("Reads of a consumer group's lag that failed").register(registry);
  }

  /**
   * A message sent again because the instance that sent it stopped uncleanly (SIGKILL) before it
   * recorded the send: the receiver may have it twice.
   */
  public void possibleDuplicate(String receiver) {
    possibleDuplicates(receiver).increment();
  }

  /** Registers a receiver's meters at zero, so that they show before anything happened. */
  public void receiver(String receiver) {
    possibleDuplicates(receiver);
  }

  private Counter possibleDuplicates(String receiver) {
    return Counter.builder("kube_observe.alerts.notifications.possible_duplicates").tag("receiver", receiver)
        .description("Messages re-sent after an unclean stop between sending and recording it")
        .register(registry);
  }
}
