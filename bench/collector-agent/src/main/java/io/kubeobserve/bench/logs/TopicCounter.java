package io.kubeobserve.bench.logs;

import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.RecordDecodeException;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows one shipper's topic from its beginning on a thread of its own: counts the log lines
 * delivered, and for lines written from {@link #measureLatencyFrom} on, the latency from the
 * line's time (CRI time stamp, written by the generator when it wrote the line) to the record's
 * broker time stamp (the topic uses {@code LogAppendTime}, so it is when the broker appended it).
 */
final class TopicCounter implements AutoCloseable {

  /** How a record's value holds lines. */
  enum Format {
    /** OTLP {@code ExportLogsServiceRequest}: one line per log record, its time in {@code time_unix_nano}. */
    OTLP,
    /** One raw CRI line per record (rsyslog's {@code %rawmsg%}), its time the line's first field. */
    RAW
  }

  private static final int MAX_LATENCY_MILLIS = 600_000;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Format format;
  private final AtomicLong lines = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();
  private final long[] latencyMillis = new long[MAX_LATENCY_MILLIS + 1];
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile long latencyFromNanos = Long.MAX_VALUE;

  TopicCounter(String bootstrapServers, String topic, Format format) {
    this.format = format;
    this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "group.id", "bench-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest", "enable.auto.commit", false, "max.partition.fetch.bytes", 8 << 20),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    this.thread = new Thread(this::run, "count-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running.get()) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (format == Format.OTLP) {
          countOtlp(record);
        } else {
          lines.incrementAndGet();
          latency(rawTime(record.value()), record.timestamp());
        }
      }
    }
    consumer.close();
  }

  private void countOtlp(ConsumerRecord<byte[], byte[]> record) {
    try {
      for (ResourceLogs resourceLogs : OtlpCodec.decodeLogs(record.value()).getResourceLogsList()) {
        for (ScopeLogs scope : resourceLogs.getScopeLogsList()) {
          for (LogRecord log : scope.getLogRecordsList()) {
            lines.incrementAndGet();
            latency(log.getTimeUnixNano(), record.timestamp());
          }
        }
      }
    } catch (RecordDecodeException e) {
      undecodable.incrementAndGet();
    }
  }

  private static long rawTime(byte[] value) {
    int space = 0;
    while (space < value.length && value[space] != ' ') {
      space++;
    }
    try {
      Instant time = Instant.parse(new String(value, 0, space, StandardCharsets.US_ASCII));
      return time.getEpochSecond() * 1_000_000_000L + time.getNano();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  private void latency(long lineNanos, long brokerMillis) {
    if (lineNanos >= latencyFromNanos) {
      long millis = Math.max(0, Math.min(MAX_LATENCY_MILLIS, brokerMillis - lineNanos / 1_000_000));
      synchronized (latencyMillis) {
        latencyMillis[(int) millis]++;
      }
    }
  }

  /** Latency is recorded for lines written at or after {@code from}. */
  void measureLatencyFrom(Instant from) {
    latencyFromNanos = from.getEpochSecond() * 1_000_000_000L + from.getNano();
  }

  /** Lines delivered so far. */
  long lines() {
    return lines.get();
  }

  long undecodable() {
    return undecodable.get();
  }

  /** The latency quantile {@code q} (0..1) in milliseconds, and the number of lines measured. */
  long[] latencyQuantile(double q) {
    synchronized (latencyMillis) {
      long total = 0;
      for (long count : latencyMillis) {
        total += count;
      }
      long rank = (long) Math.ceil(q * total);
      long seen = 0;
      for (int millis = 0; millis < latencyMillis.length; millis++) {
        seen += latencyMillis[millis];
        if (seen >= rank && total > 0) {
          return new long[] {millis, total};
        }
      }
      return new long[] {-1, total};
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }
}
