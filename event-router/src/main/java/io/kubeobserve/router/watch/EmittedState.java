package io.kubeobserve.router.watch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * What the watcher already emitted, as kept in the compacted state topic: per event UID the last
 * count emitted ({@code event/<uid>} → {@code <count>}), per node condition the last status and
 * transition time ({@code node/<uid>/<type>} → {@code <status> <time>}). The topic is written in
 * the same Kafka transaction as the records on {@code k8s-events}, so the two never disagree; a
 * deleted object's keys get tombstones.
 *
 * <p>Only the leader reads and writes it, and only from its reconciler thread.
 */
final class EmittedState {

  private final Map<String, String> values = new HashMap<>();

  static String eventKey(String eventUid) {
    return "event/" + eventUid;
  }

  static String conditionKey(String nodeUid, String type) {
    return "node/" + nodeUid + "/" + type;
  }

  /**
   * Reads the state topic from its beginning to its end as of now (committed records only: the
   * consumer must be {@code read_committed}).
   */
  static EmittedState load(Consumer<byte[], byte[]> consumer, String topic, Duration timeout) {
    EmittedState state = new EmittedState();
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
    if (partitions == null || partitions.isEmpty()) {
      return state;
    }
    List<TopicPartition> assignment = partitions.stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    consumer.assign(assignment);
    consumer.seekToBeginning(assignment);
    Map<TopicPartition, Long> end = consumer.endOffsets(assignment, timeout);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUp(consumer, end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read state topic " + topic + " within " + timeout);
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
          state.values.remove(key);
        } else {
          state.values.put(key, new String(record.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return state;
  }

  private static boolean caughtUp(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      if (consumer.position(partition.getKey()) < partition.getValue()) {
        return false;
      }
    }
    return true;
  }

  Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  void put(String key, String value) {
    values.put(key, value);
  }

  void remove(String key) {
    values.remove(key);
  }

  Set<String> keys() {
    return Set.copyOf(values.keySet());
  }

  int size() {
    return values.size();
  }
}
