package io.kubeobserve.router.index;

import io.kubeobserve.router.RouterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of the indexer's group and its loop: poll, add records to the batch, send the batch
 * when it is full or old enough, dead-letter what Elasticsearch rejected, then commit the batch's
 * offsets. Offsets move only after every document of the batch is settled and every dead letter is
 * acknowledged by Kafka. While Elasticsearch does not take documents the consumer is paused: memory
 * holds one batch plus what the Kafka client already fetched.
 *
 * <p>Any other failure closes the consumer and starts again from the committed offsets; the
 * documents' deterministic ids make the repeat harmless.
 */
final class IndexerWorker implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(IndexerWorker.class);
  private static final Duration MAX_POLL = Duration.ofMillis(100);

  private final String name;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final DataStreamRouting routing;
  private final BulkSender sender;
  private final DeadLetters deadLetters;
  private final RouterConfig.Bulk bulk;
  private final IndexerMetrics metrics;
  private final Runnable beforeFirstPoll;
  private volatile boolean running = true;
  private volatile Consumer<byte[], byte[]> consumer;
  private final BulkBatch batch;
  private final List<Future<RecordMetadata>> pendingDeadLetters = new ArrayList<>();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private boolean pausedForRetry;

  IndexerWorker(String name, Supplier<Consumer<byte[], byte[]>> consumers, DataStreamRouting routing,
      BulkSender sender, DeadLetters deadLetters, RouterConfig.Bulk bulk, IndexerMetrics metrics,
      Runnable beforeFirstPoll) {
    this.name = name;
    this.consumers = consumers;
    this.routing = routing;
    this.sender = sender;
    this.deadLetters = deadLetters;
    this.bulk = bulk;
    this.metrics = metrics;
    this.beforeFirstPoll = beforeFirstPoll;
    this.batch = new BulkBatch(Math.min(bulk.maxBytes() + 64 * 1024, 64 * 1024 * 1024));
  }

  @Override
  public void run() {
    try {
      beforeFirstPoll.run();
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("{}: indexer could not start", name, e);
      }
      return;
    }
    int failures = 0;
    while (running) {
      try {
        consumeUntilStopped();
        return;
      } catch (WakeupException | InterruptedException e) {
        return;
      } catch (RuntimeException | ExecutionException e) {
        if (!running) {
          return;
        }
        failures++;
        long delay = Math.min(30_000, 500L << Math.min(failures, 6));
        LOG.error("{}: indexing failed; starting again from the committed offsets in {} ms", name, delay, e);
        try {
          Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void clearBatch() {
    metrics.pending(-batch.documentCount());
    batch.clear();
  }

  private void consumeUntilStopped() throws InterruptedException, ExecutionException {
    clearBatch();
    pendingDeadLetters.clear();
    assigned.clear();
    pausedForRetry = false;
    try (Consumer<byte[], byte[]> opened = consumers.get()) {
      consumer = opened;
      if (!running) {
        return;
      }
      opened.subscribe(routing.topics(), new Listener());
      while (running) {
        long remainingLinger = batch.isEmpty() ? MAX_POLL.toNanos()
            : bulk.linger().toNanos() - (System.nanoTime() - batch.firstAddedNanos());
        ConsumerRecords<byte[], byte[]> records =
            opened.poll(Duration.ofNanos(Math.max(0, Math.min(MAX_POLL.toNanos(), remainingLinger))));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          add(record);
          if (batch.documentCount() >= bulk.maxDocuments() || batch.bytes() >= bulk.maxBytes()) {
            flush();
          }
        }
        updateLag(opened);
        if (!batch.isEmpty()
            && System.nanoTime() - batch.firstAddedNanos() >= bulk.linger().toNanos()) {
          flush();
        }
      }
      // stopping: finish the batch in hand if Elasticsearch takes it without retries
      if (!batch.isEmpty()) {
        flush();
      }
    } catch (StoppedException e) {
      LOG.info("{}: stopped with a batch of {} documents not indexed; its records are read again at the next"
          + " start", name, batch.documentCount());
    } finally {
      consumer = null;
      clearBatch();
    }
  }

  private void add(ConsumerRecord<byte[], byte[]> record) {
    DataStream stream = routing.forTopic(record.topic()).orElseThrow();
    int before = batch.documentCount();
    batch.add(record, stream, System.currentTimeMillis() * 1_000_000L).ifPresent(error -> {
      metrics.undecodable.increment();
      LOG.warn("{}: record {}-{}@{} cannot be indexed ({}); dead-lettering it", name, record.topic(),
          record.partition(), record.offset(), error);
      pendingDeadLetters.add(deadLetters.send(record, error));
    });
    metrics.pending(batch.documentCount() - before);
  }

  /** Sends the batch, dead-letters what was rejected, commits; throws StoppedException when stopping mid-retry. */
  private void flush() throws InterruptedException, ExecutionException {
    if (batch.documentCount() > 0) {
      List<BulkSender.Rejection> rejections = sender.send(batch, this::waitPaused);
      if (!rejections.isEmpty()) {
        deadLetterRejections(rejections);
      }
    }
    for (Future<RecordMetadata> future : pendingDeadLetters) {
      future.get();
    }
    pendingDeadLetters.clear();
    commit(batch.nextOffsets());
    clearBatch();
  }

  private void deadLetterRejections(List<BulkSender.Rejection> rejections) {
    Map<Integer, List<BulkSender.Rejection>> bySource = new LinkedHashMap<>();
    for (BulkSender.Rejection rejection : rejections) {
      bySource.computeIfAbsent(rejection.document().source(), key -> new ArrayList<>()).add(rejection);
    }
    Map<Integer, Integer> documentsPerSource = new HashMap<>();
    for (BulkBatch.Document document : batch.documents()) {
      documentsPerSource.merge(document.source(), 1, Integer::sum);
    }
    bySource.forEach((source, rejected) -> {
      ConsumerRecord<byte[], byte[]> record = batch.source(source);
      BulkSender.Rejection first = rejected.get(0);
      String error = "Elasticsearch rejected " + rejected.size() + " of " + documentsPerSource.get(source)
          + " documents of this record; first: _id " + first.document().id() + ": " + first.reason();
      LOG.warn("{}: {}-{}@{}: {}; dead-lettering the record", name, record.topic(), record.partition(),
          record.offset(), error);
      pendingDeadLetters.add(deadLetters.send(record, error));
    });
  }

  private void commit(Map<TopicPartition, Long> nextOffsets) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    nextOffsets.forEach((partition, offset) -> {
      if (assigned.contains(partition)) {
        offsets.put(partition, new OffsetAndMetadata(offset));
      }
    });
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      LOG.info("{}: offsets not committed ({}); the new owner of those partitions reads them again and finds"
          + " them indexed", name, e.getClass().getSimpleName());
    }
  }

  /** Waits with every partition paused, polling so that the consumer stays in its group. */
  private void waitPaused(Duration delay) throws InterruptedException {
    if (!running) {
      throw new StoppedException();
    }
    Consumer<byte[], byte[]> current = consumer;
    if (!pausedForRetry) {
      pausedForRetry = true;
      metrics.paused(true);
    }
    try {
      long deadline = System.nanoTime() + delay.toNanos();
      while (running) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        current.pause(current.assignment());
        ConsumerRecords<byte[], byte[]> unexpected = current.poll(Duration.ofNanos(Math.min(left,
            Duration.ofMillis(500).toNanos())));
        // a partition assigned during the wait may have delivered records: read them again later
        for (TopicPartition partition : unexpected.partitions()) {
          current.seek(partition, unexpected.records(partition).get(0).offset());
        }
      }
      throw new StoppedException();
    } finally {
      if (running) {
        current.resume(current.assignment());
      }
      pausedForRetry = false;
      metrics.paused(false);
    }
  }

  private void updateLag(Consumer<byte[], byte[]> current) {
    for (TopicPartition partition : assigned) {
      OptionalLong lag = current.currentLag(partition);
      if (lag.isPresent()) {
        metrics.lag(partition, lag.getAsLong());
      }
    }
  }

  /** Stops the loop: the batch in hand is indexed if Elasticsearch takes it at once, else left uncommitted. */
  void stop() {
    running = false;
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      assigned.removeAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned.addAll(partitions);
      if (pausedForRetry) {
        consumer.pause(partitions);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      assigned.removeAll(partitions);
    }
  }

  /** Thrown out of a retry wait when the indexer stops. */
  private static final class StoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoppedException() {
      super(null, null, false, false);
    }
  }
}
