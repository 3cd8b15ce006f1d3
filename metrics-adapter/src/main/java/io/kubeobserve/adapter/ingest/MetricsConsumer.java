package io.kubeobserve.adapter.ingest;

import io.kubeobserve.adapter.store.SeriesStore;
import io.kubeobserve.core.contract.RecordDecodeException;
import io.kubeobserve.core.contract.RecordHeaders;
import io.kubeobserve.core.ops.ReadinessCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group member over {@code k8s-metrics}: stores each record's samples, dead-letters
 * records that do not decode, and commits a batch's offsets only after every record of it was
 * stored or dead-lettered (Kafka acknowledged the dead letters). It also forgets stale series and,
 * on a rebalance, the series of revoked partitions.
 *
 * <p>On assignment, a partition without a committed offset starts at the records of the last
 * staleness timeout (not at the topic's beginning); with {@code warmStart}, a partition with one is
 * re-read from there too, so the replica exposes complete series at once. Re-read records (before
 * the committed offset) are stored but not remote-written.
 */
public final class MetricsConsumer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsConsumer.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(2);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> deadletters;
  private final String topic;
  private final String deadletterTopic;
  private final String serviceName;
  private final SeriesStore store;
  private final Duration staleness;
  private final boolean warmStart;
  private final Clock clock;
  private final Thread thread;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Map<TopicPartition, Long> replayUntil = new HashMap<>();
  private final Counter recordsStored;
  private final Counter recordsDeadlettered;
  private volatile boolean running = true;
  private volatile boolean assigned;
  private volatile Throwable failure;

  public MetricsConsumer(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadletters, String topic,
      String deadletterTopic, String serviceName, SeriesStore store, Duration staleness, boolean warmStart,
      Clock clock, MeterRegistry registry) {
    this.consumer = consumer;
    this.deadletters = deadletters;
    this.topic = topic;
    this.deadletterTopic = deadletterTopic;
    this.serviceName = serviceName;
    this.store = store;
    this.staleness = staleness;
    this.warmStart = warmStart;
    this.clock = clock;
    this.recordsStored = Counter.builder("kube_observe.adapter.records").tag("outcome", "stored")
        .description("k8s-metrics records consumed, by outcome").register(registry);
    this.recordsDeadlettered = Counter.builder("kube_observe.adapter.records").tag("outcome", "deadlettered")
        .description("k8s-metrics records consumed, by outcome").register(registry);
    this.thread = new Thread(this::run, "metrics-consumer");
  }

  public MetricsConsumer start() {
    thread.start();
    return this;
  }

  /** Whether the group has given this member partitions at least once. */
  public boolean assigned() {
    return assigned;
  }

  private void run() {
    Duration sweepInterval = sweepInterval(staleness);
    long nextSweep = clock.millis() + sweepInterval.toMillis();
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      while (running) {
        try {
          ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
          if (!records.isEmpty()) {
            process(records);
          }
        } catch (KafkaException e) {
          LOG.warn("consuming {} failed ({}); retrying in {}s", topic, e.toString(), RETRY_BACKOFF.toSeconds());
          stopping.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (clock.millis() >= nextSweep) {
          int removed = store.removeStale();
          if (removed > 0) {
            LOG.debug("{} stale series forgotten", removed);
          }
          nextSweep = clock.millis() + sweepInterval.toMillis();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure = e;
      LOG.error("the {} consumer stopped on an unexpected error", topic, e);
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /** Whether the consumer runs; when not, why ({@code /readyz}). */
  public ReadinessCheck.Status status() {
    if (failure != null) {
      return ReadinessCheck.Status.notReady("stopped: " + failure);
    }
    if (!thread.isAlive()) {
      return ReadinessCheck.Status.notReady(running ? "not started" : "stopped");
    }
    return ReadinessCheck.Status.ready(assigned ? "consuming " + topic : "joining group over " + topic);
  }

  /** How often stale series are forgotten: a quarter of the timeout, between 1 and 15 seconds. */
  static Duration sweepInterval(Duration staleness) {
    long millis = Math.max(1000, Math.min(15_000, staleness.toMillis() / 4));
    return Duration.ofMillis(millis);
  }

  /**
   * Stores a batch, dead-letters what does not decode and commits. Should Kafka fail before the
   * commit, the batch is read again (storing is idempotent: repeated samples only refresh series).
   */
  private void process(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      firstOffsets.put(partition, records.records(partition).get(0).offset());
    }
    try {
      storeAndCommit(records, firstOffsets);
    } catch (KafkaException e) {
      seekBack(firstOffsets);
      throw e;
    }
  }

  /** Reads these partitions again from these offsets, those still assigned. */
  private void seekBack(Map<TopicPartition, Long> offsets) {
    Set<TopicPartition> assignment = consumer.assignment();
    offsets.forEach((partition, offset) -> {
      if (assignment.contains(partition)) {
        consumer.seek(partition, offset);
      }
    });
  }

  private void storeAndCommit(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> firstOffsets)
      throws InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    int stored = 0;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      boolean replay = record.offset() < replayUntil.getOrDefault(partition, -1L);
      try {
        store.ingest(record.value(), record.partition(), record.timestamp(), replay);
        stored++;
      } catch (RecordDecodeException e) {
        sent.add(deadletter(record, e.getMessage()));
      } catch (RuntimeException e) {
        LOG.error("storing record {}-{}@{} failed unexpectedly; dead-lettering it", record.topic(), record.partition(),
            record.offset(), e);
        sent.add(deadletter(record, "internal error of the metrics-adapter: " + e));
      }
      offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
    }
    recordsStored.increment(stored);
    if (!sent.isEmpty()) {
      deadletters.flush();
      try {
        for (Future<RecordMetadata> future : sent) {
          future.get();
        }
        recordsDeadlettered.increment(sent.size());
      } catch (ExecutionException e) {
        LOG.warn("dead-lettering failed ({}); reading the batch again in {}s", e.getCause().toString(),
            RETRY_BACKOFF.toSeconds());
        seekBack(firstOffsets);
        stopping.await(RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
    }
    commit(offsets);
  }

  private Future<RecordMetadata> deadletter(ConsumerRecord<byte[], byte[]> record, String error) {
    LOG.warn("record {}-{}@{} dead-lettered to {}: {}", record.topic(), record.partition(), record.offset(),
        deadletterTopic, error);
    Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders(record.headers().toArray());
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_ERROR, error);
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_SOURCE_TOPIC, record.topic());
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_SOURCE_PARTITION, Integer.toString(record.partition()));
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_SOURCE_OFFSET, Long.toString(record.offset()));
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_SERVICE, serviceName);
    return deadletters.send(new ProducerRecord<>(deadletterTopic, null, record.key(), record.value(), headers));
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      LOG.info("offsets not committed ({}); the records will be read again after the rebalance", e.toString());
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      forget(partitions, "revoked");
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions, "lost");
    }

    private void forget(Collection<TopicPartition> partitions, String how) {
      if (partitions.isEmpty()) {
        return;
      }
      Set<Integer> numbers = new HashSet<>();
      partitions.forEach(p -> {
        numbers.add(p.partition());
        replayUntil.remove(p);
      });
      int removed = store.removePartitions(numbers);
      LOG.info("partitions {} {}: {} series forgotten", numbers, how, removed);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = true;
      if (partitions.isEmpty()) {
        return;
      }
      Set<TopicPartition> assignment = new HashSet<>(partitions);
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
      Map<TopicPartition, Long> since = new HashMap<>();
      long from = clock.millis() - staleness.toMillis();
      for (TopicPartition partition : assignment) {
        if (committed.get(partition) == null || warmStart) {
          since.put(partition, from);
        }
      }
      Map<TopicPartition, OffsetAndTimestamp> recent = since.isEmpty() ? Map.of() : consumer.offsetsForTimes(since);
      Map<TopicPartition, Long> ends = null;
      for (TopicPartition partition : since.keySet()) {
        OffsetAndMetadata commit = committed.get(partition);
        OffsetAndTimestamp start = recent.get(partition);
        if (start != null && (commit == null || start.offset() < commit.offset())) {
          consumer.seek(partition, start.offset());
          if (commit != null) {
            replayUntil.put(partition, commit.offset());
          }
        } else if (start == null && commit == null) {
          if (ends == null) {
            ends = consumer.endOffsets(since.keySet());
          }
          consumer.seek(partition, ends.get(partition));
        }
      }
      LOG.info("partitions {} assigned{}", partitions.stream().map(TopicPartition::partition).sorted().toList(),
          replayUntil.isEmpty() ? "" : "; re-reading the last " + staleness.toSeconds() + "s of " + replayUntil.keySet());
    }
  }

  /**
   * Stops consuming after the poll or batch in progress (committing it) and leaves the group; safe
   * to call twice.
   */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    stopping.countDown();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
