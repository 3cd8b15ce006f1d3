package io.kubeobserve.alerts.dispatch;

import io.kubeobserve.alerts.AlertsMetrics;
import io.kubeobserve.alerts.JsonSerde;
import io.kubeobserve.alerts.notify.Delivery;
import io.kubeobserve.alerts.notify.SendResult;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one receiver's messages from the outbox, and records each send by committing the outbox
 * offset after it (a consumer group of its own per receiver, reading committed records only: a
 * message exists once the incident processor's transaction committed it). Each receiver has its
 * own dispatcher, so a receiver that is down delays only its own messages. Partition ownership
 * makes one instance the sender of each message; a restart resumes after the last recorded send,
 * so it neither repeats nor forgets.
 *
 * <p>Before delivering, the dispatcher commits the message's own offset with the metadata
 * {@value #IN_FLIGHT}. An instance that takes over a partition whose committed metadata still says
 * {@value #IN_FLIGHT} knows its previous owner stopped uncleanly (SIGKILL) between sending and
 * recording: the message it sends again is counted in
 * {@code kube_observe.alerts.notifications.possible_duplicates}.
 *
 * <p>Retries, backoff, {@code Retry-After} and the rate limit are the receiver's {@link Delivery}
 * (its {@code maxElapsed} bounds how long a receiver that is down is waited for); the receiver's
 * messages behind it on the same partition wait, so one incident's messages stay in order. A
 * graceful stop interrupts a delivery still waiting to retry: the message is not recorded as sent,
 * and the next owner of the partition sends it.
 */
public final class Dispatcher implements AutoCloseable {

  static final String IN_FLIGHT = "in-flight";
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final JsonSerde<OutboxEntry> OUTBOX = new JsonSerde<>(OutboxEntry.class);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Delivery delivery;
  private final Set<String> receivers;
  private final AlertsMetrics metrics;
  private final Clock clock;
  private final Thread thread;
  /** Partitions whose previous owner left a send in flight. */
  private final Set<TopicPartition> inFlightAtTakeOver = ConcurrentHashMap.newKeySet();
  /** Times each partition was revoked: a batch stops using a partition revoked since it was polled. */
  private final Map<TopicPartition, Integer> revocations = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  private volatile boolean running = true;
  private boolean delivering;

  /**
   * @param consumer a consumer of this receiver's dispatch group with
   *     {@code isolation.level=read_committed}, manual commits, and a {@code max.poll.interval.ms}
   *     longer than the receiver's {@code maxElapsed}
   * @param delivery the receiver's
   * @param receivers every configured receiver's name (a message for none of them is reported)
   */
  public Dispatcher(Consumer<byte[], byte[]> consumer, String topic, Delivery delivery, Set<String> receivers,
      AlertsMetrics metrics, Clock clock) {
    this.consumer = consumer;
    this.topic = topic;
    this.delivery = delivery;
    this.receivers = Set.copyOf(receivers);
    this.metrics = metrics;
    this.clock = clock;
    metrics.receiver(delivery.receiver());
    this.thread = new Thread(this::run, "alerts-dispatcher-" + delivery.receiver());
  }

  public Dispatcher start() {
    thread.start();
    return this;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new Ownership());
      while (running) {
        try {
          pollAndDispatch();
        } catch (WakeupException | InterruptException e) {
          if (running) {
            rewind();
          }
        } catch (RuntimeException e) {
          LOG.error("dispatching failed; resuming after the last message recorded as sent", e);
          rewind();
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void pollAndDispatch() {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
    Map<TopicPartition, Integer> polledAt = new HashMap<>(revocations);
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
        if (!running || !revocations.getOrDefault(partition, 0).equals(polledAt.getOrDefault(partition, 0))) {
          break;
        }
        dispatch(partition, record);
      }
    }
  }

  /** After a failure mid-batch: back to each owned partition's last recorded send, so nothing is skipped. */
  private void rewind() {
    try {
      Set<TopicPartition> owned = consumer.assignment();
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(owned);
      for (TopicPartition partition : owned) {
        OffsetAndMetadata offset = committed.get(partition);
        if (offset == null) {
          consumer.seekToBeginning(List.of(partition));
        } else {
          consumer.seek(partition, offset.offset());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot rewind the outbox consumer ({}); retrying", e.toString());
    }
  }

  private void dispatch(TopicPartition partition, ConsumerRecord<byte[], byte[]> record) {
    OutboxEntry entry;
    try {
      entry = OUTBOX.decode(record.value());
    } catch (UncheckedIOException e) {
      LOG.error("outbox record {}-{}@{} is not a message, skipped: {}", record.topic(), record.partition(),
          record.offset(), e.getMessage());
      commit(partition, record.offset() + 1, "");
      return;
    }
    if (!entry.receiver().equals(delivery.receiver())) {
      if (!receivers.contains(entry.receiver())) {
        LOG.error("message {} names receiver '{}', which is not configured: not sent", entry.id(), entry.receiver());
      }
      commit(partition, record.offset() + 1, "");
      return;
    }
    if (inFlightAtTakeOver.remove(partition)) {
      LOG.warn("message {} may reach {} twice: its previous sender stopped before recording it", entry.id(),
          entry.receiver());
      metrics.possibleDuplicate(entry.receiver());
    }
    synchronized (lock) {
      if (!running) {
        return;
      }
      delivering = true;
    }
    commit(partition, record.offset(), IN_FLIGHT);
    SendResult result = delivery.deliver(entry.notification());
    synchronized (lock) {
      delivering = false;
      if (Thread.interrupted() && result.outcome() == SendResult.Outcome.RETRY) {
        commit(partition, record.offset(), "");
        return;
      }
    }
    if (result.outcome() == SendResult.Outcome.DELIVERED) {
      LOG.info("sent {} {} to {}", entry.kind(), entry.title(), entry.receiver());
      if (entry.measureLatency()) {
        metrics.detectionLatency(Duration.between(Instant.ofEpochMilli(entry.startsAtMillis()), clock.instant()));
      }
    }
    commit(partition, record.offset() + 1, "");
  }

  private void commit(TopicPartition partition, long offset, String metadata) {
    consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset, metadata)));
  }

  /** Stops after the attempt in progress; a message not yet recorded as sent is sent by the next owner. */
  @Override
  public void close() {
    synchronized (lock) {
      if (!running) {
        return;
      }
      running = false;
      if (delivering) {
        thread.interrupt();
      } else {
        consumer.wakeup();
      }
    }
    try {
      thread.join(Duration.ofSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Tracks which partitions this instance owns and what their previous owners left in flight. */
  private final class Ownership implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(partition -> revocations.merge(partition, 1, Integer::sum));
      inFlightAtTakeOver.removeAll(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
      committed.forEach((partition, offset) -> {
        if (offset != null && IN_FLIGHT.equals(offset.metadata())) {
          inFlightAtTakeOver.add(partition);
        }
      });
    }
  }
}
