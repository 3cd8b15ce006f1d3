package io.kubeobserve.alerts.detect;

import io.kubeobserve.alerts.AlertsConfig.Lag;
import io.kubeobserve.alerts.AlertsConfig.LagGroup;
import io.kubeobserve.alerts.AlertsMetrics;
import io.kubeobserve.alerts.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lag of the configured consumer groups ({@code pipelineHealth.lag}) every interval
 * through an Admin client and writes each group's {@link ConsumerLag} sample to the observations
 * topic, where it takes the same incident path as what the topology detects. A group that has
 * committed nothing (not deployed, or not yet started) is skipped, logged once until it appears.
 * Each group's lag is also a gauge, and failed reads are counted.
 */
public final class ConsumerLagMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMonitor.class);
  private static final JsonSerde<Observation> OBSERVATIONS = new JsonSerde<>(Observation.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Lag config;
  private final Admin admin;
  private final Producer<byte[], byte[]> producer;
  private final String observationsTopic;
  private final AlertsMetrics metrics;
  private final Clock clock;
  private final Set<String> absent = new HashSet<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "consumer-lag");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * @param admin reads offsets; closed with this monitor
   * @param producer writes the samples; not closed by this monitor
   */
  public ConsumerLagMonitor(Lag config, Admin admin, Producer<byte[], byte[]> producer, String observationsTopic,
      AlertsMetrics metrics, Clock clock) {
    this.config = config;
    this.admin = admin;
    this.producer = producer;
    this.observationsTopic = observationsTopic;
    this.metrics = metrics;
    this.clock = clock;
    config.groups().forEach(group -> metrics.lagWatched(group.group()));
  }

  /** Reads the lag every interval from now on. */
  public ConsumerLagMonitor start() {
    long interval = config.interval().toMillis();
    scheduler.scheduleWithFixedDelay(this::checkAll, interval, interval, TimeUnit.MILLISECONDS);
    return this;
  }

  private void checkAll() {
    for (LagGroup group : config.groups()) {
      try {
        check(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        metrics.consumerLagReadFailed(group.group());
        LOG.warn("could not read the lag of consumer group {}; trying again in {}", group.group(),
            config.interval(), e);
      }
    }
  }

  private void check(LagGroup group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group.group())
        .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, Long> committed = new HashMap<>();
    offsets.forEach((partition, offset) -> {
      if (offset != null) {
        committed.put(partition, offset.offset());
      }
    });
    if (committed.isEmpty()) {
      if (absent.add(group.group())) {
        LOG.info("consumer group {} has no committed offsets (not running yet?); its lag is not checked until it has",
            group.group());
      }
      return;
    }
    if (absent.remove(group.group())) {
      LOG.info("consumer group {} has committed offsets; checking its lag", group.group());
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, Long> endOffsets = new HashMap<>();
    ends.forEach((partition, info) -> endOffsets.put(partition, info.offset()));
    Map<String, Long> lagByTopic = ConsumerLag.byTopic(committed, endOffsets);
    metrics.consumerLag(group.group(), lagByTopic.values().stream().mapToLong(Long::longValue).sum());
    Observation sample = ConsumerLag.observation(group, lagByTopic, clock.millis());
    producer.send(new ProducerRecord<>(observationsTopic, null, sample.signalTimeMillis(),
        sample.node().getBytes(StandardCharsets.UTF_8), OBSERVATIONS.encode(sample)))
        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
