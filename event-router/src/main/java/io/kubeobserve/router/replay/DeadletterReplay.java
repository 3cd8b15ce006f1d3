package io.kubeobserve.router.replay;

import io.kubeobserve.core.contract.RecordHeaders;
import io.kubeobserve.core.kafka.KafkaClients;
import io.kubeobserve.core.kafka.KafkaConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kube-observe replay --from k8s-deadletter}: sends dead-lettered records back to the topic
 * they came from ({@code kube_observe.source.topic}), with their original key, value and headers,
 * so the indexer reads them again once the cause is fixed (a mapping changed, a field dropped).
 * Documents of such a record that were indexed the first time answer 409 and count as already
 * indexed: replaying is safe.
 *
 * <p>It reads the dead-letter topic up to its end as of the start, as the consumer group {@code
 * groupId}, and commits after Kafka acknowledged each batch of re-sent records, so a second run
 * re-sends only what was dead-lettered since ({@link Options#fromBeginning} starts over).
 */
public final class DeadletterReplay {

  private static final Logger LOG = LoggerFactory.getLogger(DeadletterReplay.class);

  /**
   * @param deadletterTopic the topic to read, {@code kafka.topics.deadletter} by default
   * @param groupId the consumer group remembering how far replays went
   * @param fromBeginning ignore the group's committed offsets and re-send everything the topic holds
   * @param service replay only records dead-lettered by this service ({@code kube_observe.service}); empty: all
   * @param sourceTopic replay only records that came from this topic; empty: all
   * @param dryRun count what would be replayed, send nothing, commit nothing
   */
  public record Options(String deadletterTopic, String groupId, boolean fromBeginning, Optional<String> service,
      Optional<String> sourceTopic, boolean dryRun) {
    public Options {
      Objects.requireNonNull(deadletterTopic, "deadletterTopic");
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(sourceTopic, "sourceTopic");
    }

    public static Options defaults(KafkaConfig kafka) {
      return new Options(kafka.topics().deadletter(), "kube-observe-deadletter-replay", false, Optional.empty(),
          Optional.empty(), false);
    }
  }

  /** What a replay did. */
  public record Result(long read, long replayed, long skipped, Map<String, Long> replayedByTopic) {}

  private static final String CLIENT_ID = "kube-observe-replay";

  private final KafkaConfig kafka;

  public DeadletterReplay(KafkaConfig kafka) {
    this.kafka = kafka;
  }

  public Result run(Options options) throws InterruptedException, ExecutionException {
    Map<String, Object> consumerSettings = KafkaClients.settings(kafka, CLIENT_ID, Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, options.groupId(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    Map<String, Object> producerSettings = KafkaClients.settings(kafka, CLIENT_ID, Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
    long read = 0;
    long replayed = 0;
    long skipped = 0;
    Map<String, Long> byTopic = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(options.deadletterTopic(), Duration.ofSeconds(30))
          .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(new java.util.HashSet<>(partitions), Duration.ofSeconds(30));
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = committed.get(partition);
        if (options.fromBeginning() || offset == null) {
          consumer.seekToBeginning(List.of(partition));
        } else {
          consumer.seek(partition, offset.offset());
        }
      }
      while (!caughtUp(consumer, end)) {
        List<Future<RecordMetadata>> sends = new java.util.ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (record.offset() >= end.get(partition)) {
            continue;
          }
          read++;
          next.put(partition, new OffsetAndMetadata(record.offset() + 1));
          Optional<String> source = RecordHeaders.lastString(record.headers(), RecordHeaders.DEADLETTER_SOURCE_TOPIC);
          Optional<String> service = RecordHeaders.lastString(record.headers(), RecordHeaders.DEADLETTER_SERVICE);
          boolean wanted = source.isPresent()
              && options.sourceTopic().map(topic -> topic.equals(source.get())).orElse(true)
              && options.service().map(name -> name.equals(service.orElse(""))).orElse(true);
          if (!wanted) {
            skipped++;
            continue;
          }
          replayed++;
          byTopic.merge(source.get(), 1L, Long::sum);
          if (!options.dryRun()) {
            ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(source.get(), null, record.key(), record.value());
            for (Header header : record.headers()) {
              if (!header.key().startsWith("kube_observe.")) {
                out.headers().add(header);
              }
            }
            sends.add(producer.send(out));
          }
        }
        for (Future<RecordMetadata> send : sends) {
          send.get();
        }
        if (!options.dryRun() && !next.isEmpty()) {
          consumer.commitSync(next);
        }
      }
    }
    Result result = new Result(read, replayed, skipped, Map.copyOf(byTopic));
    LOG.info("replay from {}: read {}, {} {}, skipped {} ({})", options.deadletterTopic(), read,
        options.dryRun() ? "would replay" : "replayed", replayed, skipped, byTopic);
    return result;
  }

  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      if (consumer.position(partition.getKey()) < partition.getValue()) {
        return false;
      }
    }
    return true;
  }
}
