package io.kubeobserve.alerts.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a new engine starts reading. An application that never committed an offset on its inputs
 * (a first installation, a new {@code engine.applicationId}) would read them from their beginning
 * and alert on every OOM kill and eviction still in retention, days old. Before the streams start,
 * the inputs of such an application are set to their first record written at or after now minus
 * {@code engine.firstStartLookback}. An application that committed before resumes where it stopped:
 * nothing is skipped after a restart or an outage, and a partition added later is read from its
 * beginning.
 */
public final class FirstStart {

  private static final Logger LOG = LoggerFactory.getLogger(FirstStart.class);
  private static final long TIMEOUT_SECONDS = 30;

  private FirstStart() {}

  /**
   * Sets the group's offsets on {@code topics} to {@code lookback} before now when it has none
   * there.
   *
   * @return the time reading starts from, when this was a first start; empty when the group had
   *     committed offsets (or another instance, already running, decided first)
   */
  public static Optional<Instant> seed(Admin admin, String group, List<String> topics, Duration lookback, Clock clock)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (committed.keySet().stream().anyMatch(partition -> topics.contains(partition.topic()))) {
      return Optional.empty();
    }
    Instant from = clock.instant().minus(lookback);
    Map<TopicPartition, OffsetSpec> atTime = new HashMap<>();
    Map<TopicPartition, OffsetSpec> atEnd = new HashMap<>();
    Map<TopicPartition, OffsetSpec> atStart = new HashMap<>();
    for (TopicDescription topic : admin.describeTopics(topics).allTopicNames()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()) {
      topic.partitions().forEach(partition -> {
        TopicPartition key = new TopicPartition(topic.name(), partition.partition());
        atTime.put(key, OffsetSpec.forTimestamp(from.toEpochMilli()));
        atEnd.put(key, OffsetSpec.latest());
        atStart.put(key, OffsetSpec.earliest());
      });
    }
    Map<TopicPartition, ListOffsetsResultInfo> byTime = admin.listOffsets(atTime).all()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(atEnd).all()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(atStart).all()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    long skipped = 0;
    for (Map.Entry<TopicPartition, ListOffsetsResultInfo> entry : byTime.entrySet()) {
      long end = ends.get(entry.getKey()).offset();
      // -1: no record at or after that time
      long offset = entry.getValue().offset() < 0 ? end : entry.getValue().offset();
      offsets.put(entry.getKey(), new OffsetAndMetadata(offset));
      skipped += offset - starts.get(entry.getKey()).offset();
    }
    try {
      admin.alterConsumerGroupOffsets(group, offsets).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupNotEmptyException || e.getCause() instanceof UnknownMemberIdException) {
        LOG.info("first start of {}: another instance is already running and decided where to read from", group);
        return Optional.empty();
      }
      throw e;
    }
    LOG.info("first start of {}: reading {} from {} (engine.firstStartLookback {}); {} older record(s) are not "
        + "alerted on", group, topics, from, lookback, skipped);
    return Optional.of(from);
  }
}
