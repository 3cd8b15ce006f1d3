package io.kubeobserve.alerts.detect;

import io.kubeobserve.alerts.AlertsConfig.LagGroup;
import io.kubeobserve.alerts.detect.Observation.Kind;
import io.kubeobserve.alerts.notify.Notification.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The pipeline alerting on itself: the lag of a consumer group (records written to its topics and
 * not yet committed by it) as a sample of {@code ConsumerLag}, breached while over the group's
 * threshold, so the incident fires once the lag stayed over it for the group's duration and
 * resolves when it is back under.
 */
public final class ConsumerLag {

  private ConsumerLag() {}

  /**
   * The lag of each topic: for each partition the group committed an offset of, its end offset
   * minus that offset (never negative: the end offsets may be read before a commit that passed them).
   *
   * @param committed the group's committed offsets
   * @param ends the end offsets of the same partitions; a partition without one is left out
   */
  public static Map<String, Long> byTopic(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> ends) {
    Map<String, Long> lag = new TreeMap<>();
    committed.forEach((partition, offset) -> {
      Long end = ends.get(partition);
      if (end != null) {
        lag.merge(partition.topic(), Math.max(0, end - offset), Long::sum);
      }
    });
    return lag;
  }

  /**
   * The sample of one group, keyed like the other pipeline-health observations (no node), its
   * incident one per group.
   *
   * @param lagByTopic the group's lag on each topic it consumes ({@link #byTopic}), listed by topic
   *     name whatever the map's order
   */
  public static Observation observation(LagGroup group, Map<String, Long> lagByTopic, long timeMillis) {
    long lag = lagByTopic.values().stream().mapToLong(Long::longValue).sum();
    Map<String, String> details = new LinkedHashMap<>();
    details.put("Consumer group", group.group());
    details.put("Lag", lag + " records");
    details.put("Threshold", "above " + group.threshold() + " records");
    details.put("For", group.forDuration().toString().substring(2).toLowerCase());
    List<String> topics = new TreeMap<>(lagByTopic).entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).toList();
    details.put("Lag by topic", String.join(", ", topics));
    Kind kind = lag > group.threshold() ? Kind.SAMPLE_BREACHED : Kind.SAMPLE_OK;
    return new Observation(kind, Rules.CONSUMER_LAG, "", group.group(), Rules.CONSUMER_LAG + "/" + group.group(), "",
        timeMillis, Severity.WARNING, Map.of(), Map.of(), Map.of(), details, List.of(), lag,
        group.forDuration().toMillis());
  }
}
