package io.kubeobserve.agent.proof;

import static org.awaitility.Awaitility.await;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordDecodeException;
import io.kubeobserve.devstack.cluster.logs.LogLineMarker;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Reads the logs topic from its beginning as a consumer downstream would, decodes every OTLP
 * batch, and tells, against the {@link GroundTruth} of the files: which (container, sequence)
 * entries never arrived, which arrived with other content than was written (or under another
 * pod's resource), how many arrived more than once, and whether a re-sent entry kept its {@code
 * log.record.uid}. Entries are recognised by their {@link LogLineMarker}; a body holding several
 * (a joined multi-line entry) is checked line by line.
 */
final class LogStreamVerifier implements AutoCloseable {

  private static final int EXAMPLES = 20;
  private static final Duration DRAIN_AT_MOST = Duration.ofSeconds(2);

  /** What arrived for one container, indexed by sequence number. */
  private static final class Received {
    private byte[] counts = new byte[1024];
    private long[] hashes = new long[1024];
    private long[] uids = new long[1024];

    void add(long sequence, long hash, long uid, Verdict.Builder verdict, String container, String body) {
      int index = Math.toIntExact(sequence);
      if (index >= counts.length) {
        int size = Math.max(index + 1, counts.length * 2);
        counts = Arrays.copyOf(counts, size);
        hashes = Arrays.copyOf(hashes, size);
        uids = Arrays.copyOf(uids, size);
      }
      if (counts[index] == 0) {
        hashes[index] = hash;
        uids[index] = uid;
      } else {
        verdict.duplicate(hashes[index] != hash, uids[index] != uid, container, sequence, body);
      }
      if (counts[index] < Byte.MAX_VALUE) {
        counts[index]++;
      }
    }

    int count(long sequence) {
      return sequence < counts.length ? counts[(int) sequence] : 0;
    }

    long hash(long sequence) {
      return hashes[(int) sequence];
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, Received> received = new HashMap<>();
  private final String topic;
  private final Verdict.Builder arrivals = new Verdict.Builder();
  private long records;
  private long logRecords;
  private long withoutMarker;
  private long lastSeen = -1;
  private long lastGrowth;
  private final List<String> withoutMarkerExamples = new ArrayList<>();

  LogStreamVerifier(String bootstrapServers, String topic) {
    consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "auto.offset.reset", "earliest",
        "enable.auto.commit", false, "allow.auto.create.topics", false, "max.partition.fetch.bytes", 8 << 20,
        "fetch.max.bytes", 32 << 20), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
  }

  /**
   * Reads every partition from its beginning, without a consumer group: a group would rebalance
   * when the broker restarts and stop reading for a while, which looks like loss.
   */
  private boolean assignPartitions() {
    List<TopicPartition> partitions;
    try {
      partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
    } catch (TimeoutException e) {
      return false;
    }
    if (!partitions.isEmpty()) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }
    return !partitions.isEmpty();
  }

  /**
   * Reads what the topic holds now, for at most {@link #DRAIN_AT_MOST} (a busy topic never runs
   * dry); returns the entries seen so far.
   */
  long drain() {
    long deadline = System.nanoTime() + DRAIN_AT_MOST.toNanos();
    if (consumer.assignment().isEmpty() && !assignPartitions()) {
      return arrivals.entries;
    }
    ConsumerRecords<byte[], byte[]> batch;
    do {
      batch = consumer.poll(Duration.ofMillis(300));
      for (ConsumerRecord<byte[], byte[]> record : batch) {
        accept(record.value());
      }
    } while (!batch.isEmpty() && System.nanoTime() < deadline);
    return arrivals.entries;
  }

  /**
   * Reads what arrived and tells whether every entry of {@code truth} did, or nothing new arrived
   * for {@code quiet}: either way waiting longer shows nothing more.
   */
  private boolean settled(GroundTruth truth, Duration quiet) {
    long seen = drain();
    long now = System.nanoTime();
    if (seen != lastSeen) {
      lastSeen = seen;
      lastGrowth = now;
    }
    return complete(truth) || now - lastGrowth > quiet.toNanos();
  }

  /**
   * Reads until every entry of {@code truth} arrived, nothing new arrived for {@code quiet}, or
   * {@code atMost} passed, and compares: the verdict names whatever is still missing.
   */
  Verdict awaitVerdict(GroundTruth truth, Duration quiet, Duration atMost) {
    try {
      await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> settled(truth, quiet));
    } catch (ConditionTimeoutException e) {
      // still arriving after atMost: the verdict tells what had not
    }
    return verdict(truth);
  }

  /** Whether every entry of {@code truth} arrived at least once. */
  private boolean complete(GroundTruth truth) {
    return truth.containers().entrySet().stream().allMatch(e -> {
      Received got = received.get(e.getKey());
      if (got == null) {
        return e.getValue().last() == 0;
      }
      for (long seq = 1; seq <= e.getValue().last(); seq++) {
        if (got.count(seq) == 0) {
          return false;
        }
      }
      return true;
    });
  }

  private void accept(byte[] value) {
    records++;
    try {
      for (ResourceLogs resourceLogs : OtlpCodec.decodeLogs(value).getResourceLogsList()) {
        var resource = resourceLogs.getResource().getAttributesList();
        String container = OtlpValues.stringAttribute(resource, Attributes.K8S_NAMESPACE_NAME).orElse("?") + "/"
            + OtlpValues.stringAttribute(resource, Attributes.K8S_POD_NAME).orElse("?") + "/"
            + OtlpValues.stringAttribute(resource, Attributes.K8S_CONTAINER_NAME).orElse("?");
        for (ScopeLogs scope : resourceLogs.getScopeLogsList()) {
          for (LogRecord log : scope.getLogRecordsList()) {
            accept(container, log);
          }
        }
      }
    } catch (RecordDecodeException e) {
      arrivals.undecodable++;
    }
  }

  private void accept(String resourceContainer, LogRecord log) {
    logRecords++;
    long uid = OtlpValues.stringAttribute(log.getAttributesList(), Attributes.LOG_RECORD_UID)
        .map(id -> GroundTruth.hash(id.getBytes(StandardCharsets.UTF_8), 0, id.length())).orElse(0L);
    byte[] body = body(log.getBody());
    boolean found = false;
    int start = 0;
    while (start <= body.length) {
      int end = start;
      while (end < body.length && body[end] != '\n') {
        end++;
      }
      String line = new String(body, start, end - start, StandardCharsets.UTF_8);
      Matcher marker = LogLineMarker.PATTERN.matcher(line);
      String container = null;
      long sequence = 0;
      while (marker.find()) {
        container = marker.group(1);
        sequence = Long.parseLong(marker.group(2));
      }
      if (container != null) {
        found = true;
        arrivals.entries++;
        if (!container.equals(resourceContainer)) {
          arrivals.mismatch(container, sequence, "under the resource of " + resourceContainer + ": " + line);
        }
        received.computeIfAbsent(container, key -> new Received())
            .add(sequence, GroundTruth.hash(body, start, end), uid, arrivals, container, line);
      }
      start = end + 1;
    }
    if (!found) {
      withoutMarker++;
      if (withoutMarkerExamples.size() < EXAMPLES) {
        withoutMarkerExamples.add(abbreviate(new String(body, StandardCharsets.UTF_8)) + " " + log.getAttributesList());
      }
    }
  }

  private static byte[] body(AnyValue body) {
    return body.hasBytesValue() ? body.getBytesValue().toByteArray() : body.getStringValue().getBytes(StandardCharsets.UTF_8);
  }

  /** Compares what arrived so far with what was written. */
  Verdict verdict(GroundTruth truth) {
    Verdict.Builder verdict = arrivals.copy();
    verdict.records = records;
    verdict.logRecords = logRecords;
    verdict.withoutMarker = withoutMarker;
    verdict.withoutMarkerExamples.addAll(withoutMarkerExamples);
    verdict.written = truth.entries();
    for (Map.Entry<String, GroundTruth.Entries> written : truth.containers().entrySet()) {
      String container = written.getKey();
      GroundTruth.Entries entries = written.getValue();
      Received got = received.getOrDefault(container, new Received());
      long missingFrom = -1;
      for (long seq = 1; seq <= entries.last() + 1; seq++) {
        boolean missing = seq <= entries.last() && got.count(seq) == 0;
        if (missing) {
          verdict.missing++;
          verdict.missingBytes.merge(container, (long) entries.fileBytes(seq), Long::sum);
          if (missingFrom < 0) {
            missingFrom = seq;
          }
        } else if (missingFrom >= 0) {
          verdict.missingRanges.add(container + "#" + (missingFrom == seq - 1 ? missingFrom : missingFrom + "-" + (seq - 1)));
          missingFrom = -1;
        }
        if (seq <= entries.last() && got.count(seq) > 0) {
          if (got.hash(seq) != entries.hash(seq)) {
            verdict.mismatch(container, seq, "content differs from what the container wrote");
          }
          if (got.count(seq) > 1) {
            verdict.duplicateBytes += (long) (got.count(seq) - 1) * entries.fileBytes(seq);
          }
        }
      }
      long beyond = 0;
      for (long seq = entries.last() + 1; seq < got.counts.length; seq++) {
        beyond += got.count(seq);
      }
      verdict.unexpected += beyond;
    }
    for (String container : received.keySet()) {
      if (!truth.containers().containsKey(container)) {
        verdict.unexpected++;
        verdict.mismatch(container, 0, "not a container that wrote anything");
      }
    }
    return verdict.build();
  }

  static String abbreviate(String text) {
    return text.length() <= 160 ? text : text.substring(0, 120) + "…(" + text.length() + " chars)";
  }

  @Override
  public void close() {
    consumer.close();
  }
}
