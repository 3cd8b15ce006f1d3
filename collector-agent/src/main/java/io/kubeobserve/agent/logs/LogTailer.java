package io.kubeobserve.agent.logs;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.kubeobserve.core.telemetry.KafkaTraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the container log files under the logs root and produces their lines to the logs topic,
 * one OTLP batch per file and read, keyed by pod UID. A file's read position moves only after
 * Kafka acknowledged the batch, so a failed send is read and sent again.
 *
 * <p>This tailer keeps positions in memory and reads CRI lines of the current {@code <n>.log}
 * files; checkpoints that survive a restart, rotation, the docker format, and joining partial
 * and multi-line entries are not built yet. Every record's {@code log.record.uid} is derived from
 * the file's identity and the line's offset, so a re-read after a restart is deduplicated
 * downstream.
 */
public final class LogTailer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogTailer.class);
  private static final String SCOPE = "io.kubeobserve.agent.logs";

  private final Path root;
  private final Duration pollInterval;
  private final int maxBatchBytes;
  private final Resource nodeResource;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Clock clock;
  private final Tracer tracer;
  private final KafkaTraceContext traceContext;
  private final ScheduledExecutorService executor;
  private final Map<Path, Position> positions = new ConcurrentHashMap<>();
  private final Counter lines;
  private final Counter bytes;
  private final Counter unparsed;
  private final Counter truncations;
  private final Counter sendFailures;

  private record Position(String fileIdentity, long offset) {}

  /**
   * @param nodeResource resource attributes every batch carries (cluster, node); pod attributes are added
   * @param openTelemetry traces each batch sent; its context goes into the record's {@code traceparent}
   */
  public LogTailer(Path root, Duration pollInterval, int maxBatchBytes, Resource nodeResource,
      Producer<byte[], byte[]> producer, String topic, MeterRegistry registry, OpenTelemetry openTelemetry,
      Clock clock) {
    this.root = root;
    this.pollInterval = pollInterval;
    this.maxBatchBytes = maxBatchBytes;
    this.nodeResource = nodeResource;
    this.producer = producer;
    this.topic = topic;
    this.clock = clock;
    this.tracer = openTelemetry.getTracer(SCOPE);
    this.traceContext = new KafkaTraceContext(openTelemetry);
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "log-tailer"));
    this.lines = Counter.builder("kube_observe.agent.log.lines").description("log lines produced").register(registry);
    this.bytes = Counter.builder("kube_observe.agent.log.read").baseUnit("bytes")
        .description("bytes of log files read and produced").register(registry);
    this.unparsed = Counter.builder("kube_observe.agent.log.unparsed")
        .description("lines that are not CRI lines, passed on flagged as unparsed").register(registry);
    this.truncations = Counter.builder("kube_observe.agent.log.truncations")
        .description("files found shorter than their read position, read again from the start").register(registry);
    this.sendFailures = Counter.builder("kube_observe.agent.log.send.failures")
        .description("batches Kafka did not acknowledge; they are read and sent again").register(registry);
    Gauge.builder("kube_observe.agent.log.files", positions, Map::size)
        .description("container log files being read").register(registry);
  }

  /** Log lines produced since start. */
  public long linesShipped() {
    return (long) lines.count();
  }

  /** Bytes of log files produced since start. */
  public long bytesShipped() {
    return (long) bytes.count();
  }

  /** Container log files being read now. */
  public int filesOpen() {
    return positions.size();
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::pollSafely, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void pollSafely() {
    try {
      poll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | IOException e) {
      LOG.warn("reading logs under {} failed; retrying in {}", root, pollInterval, e);
    }
  }

  /** One pass over the tree: every file's new complete lines are produced. */
  void poll() throws IOException, InterruptedException {
    if (!Files.isDirectory(root)) {
      return;
    }
    Set<Path> seen = new HashSet<>();
    try (Stream<Path> walk = Files.walk(root, 3)) {
      for (Path file : (Iterable<Path>) walk.filter(p -> p.getFileName().toString().matches("\\d+\\.log"))::iterator) {
        PodLogPath.parse(file.toString()).ifPresent(pod -> seen.add(file));
      }
    }
    positions.keySet().retainAll(seen);
    for (Path file : seen) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      readFile(file, PodLogPath.parse(file.toString()).orElseThrow());
    }
  }

  private void readFile(Path file, PodLogPath pod) throws IOException, InterruptedException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      String identity = identity(file);
      Position position = positions.get(file);
      long offset = position != null && position.fileIdentity().equals(identity) ? position.offset() : 0;
      long size = channel.size();
      if (size < offset) {
        truncations.increment();
        LOG.warn("{} is shorter ({} bytes) than its read position {}: reading it again from the start", file, size, offset);
        offset = 0;
      }
      while (offset < size) {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBatchBytes, size - offset));
        channel.read(buffer, offset);
        int consumed = completeLinesLength(buffer.array(), buffer.position());
        if (consumed == 0) {
          return; // the line is still being written
        }
        if (!send(file, pod, identity, offset, buffer.array(), consumed)) {
          return;
        }
        offset += consumed;
        positions.put(file, new Position(identity, offset));
        bytes.increment(consumed);
      }
      positions.put(file, new Position(identity, offset));
    } catch (NoSuchFileException e) {
      positions.remove(file);
    }
  }

  /** Length up to and including the last newline; a line longer than a batch is cut at the batch size. */
  private int completeLinesLength(byte[] data, int length) {
    for (int i = length - 1; i >= 0; i--) {
      if (data[i] == '\n') {
        return i + 1;
      }
    }
    return length == maxBatchBytes ? length : 0;
  }

  private boolean send(Path file, PodLogPath pod, String identity, long offset, byte[] data, int length)
      throws InterruptedException {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    scope.getScopeBuilder().setName(SCOPE);
    long observed = toNanos(clock.instant());
    int lineStart = 0;
    int count = 0;
    for (int i = 0; i < length; i++) {
      boolean end = data[i] == '\n' || i == length - 1;
      if (!end) {
        continue;
      }
      int lineEnd = data[i] == '\n' ? i : i + 1;
      String line = new String(data, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
      scope.addLogRecords(record(file, identity, offset + lineStart, line, observed));
      lineStart = i + 1;
      count++;
    }
    Resource resource = nodeResource.toBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, pod.namespace()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, pod.podName()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_UID, pod.podUid()))
        .addAttributes(OtlpValues.string(Attributes.K8S_CONTAINER_NAME, pod.containerName()))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_RESTART_COUNT, pod.restartCount()))
        .build();
    ExportLogsServiceRequest batch = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope))
        .build();
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
        pod.podUid().getBytes(StandardCharsets.UTF_8), OtlpCodec.encodeLogs(batch));
    Span span = tracer.spanBuilder(topic + " publish").setSpanKind(SpanKind.PRODUCER)
        .setAttribute("messaging.system", "kafka")
        .setAttribute("messaging.destination.name", topic)
        .setAttribute("messaging.batch.message_count", count)
        .startSpan();
    try {
      traceContext.inject(Context.current().with(span), record.headers());
      producer.send(record).get();
      lines.increment(count);
      return true;
    } catch (ExecutionException e) {
      sendFailures.increment();
      span.setStatus(StatusCode.ERROR, e.getCause().toString());
      LOG.warn("Kafka did not acknowledge {} lines of {}: {}; they will be sent again", count, file, e.getCause().toString());
      return false;
    } finally {
      span.end();
    }
  }

  private LogRecord record(Path file, String identity, long offset, String line, long observedNanos) {
    LogRecord.Builder record = LogRecord.newBuilder()
        .setObservedTimeUnixNano(observedNanos)
        .addAttributes(OtlpValues.string(Attributes.LOG_FILE_PATH, file.toString()))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, RecordUid.logLine(identity, offset)));
    CriLine.parse(line).ifPresentOrElse(
        cri -> {
          record.setTimeUnixNano(toNanos(cri.time()))
              .setBody(OtlpValues.text(cri.message()))
              .addAttributes(OtlpValues.string(Attributes.LOG_IOSTREAM, cri.stream()));
          if (cri.partial()) {
            record.addAttributes(OtlpValues.bool(Attributes.KUBE_OBSERVE_LOG_PARTIAL, true));
          }
        },
        () -> {
          unparsed.increment();
          record.setBody(OtlpValues.text(line))
              .addAttributes(OtlpValues.bool(Attributes.KUBE_OBSERVE_LOG_UNPARSED, true));
        });
    return record.build();
  }

  /** Device and inode: a renamed file keeps them, a new file at the same path does not. */
  private static String identity(Path file) throws IOException {
    Map<String, Object> unix = Files.readAttributes(file, "unix:dev,ino");
    return unix.get("dev") + ":" + unix.get("ino");
  }

  private static long toNanos(Instant instant) {
    return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
  }

  /** Stops reading after the current pass; what was acknowledged stays acknowledged. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
