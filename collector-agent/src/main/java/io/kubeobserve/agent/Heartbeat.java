package io.kubeobserve.agent;

import io.kubeobserve.agent.signals.SignalRecords;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.EventNames;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces a {@code kube_observe.agent.heartbeat} record to the events topic every interval (a
 * minute by default), keyed by node name, so that the alert engine can notice an agent that went
 * silent. Its occurrence is node + the interval it was sent in (the minute, by default); it carries
 * the agent's totals since start: log lines and bytes produced, log files open, pod signals emitted,
 * kubelet scrapes attempted. Lifecycle: {@link #start()}, {@link #close()} (safe twice).
 */
final class Heartbeat implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  /** What the heartbeat reports. */
  record Totals(LongSupplier logLines, LongSupplier logBytes, LongSupplier logFiles, LongSupplier signals,
      LongSupplier scrapes) {}

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String clusterName;
  private final String nodeName;
  private final Duration interval;
  private final Totals totals;
  private final Clock clock;
  private final Instant startedAt;
  private final ScheduledExecutorService executor;
  private final Counter failures;

  Heartbeat(Producer<byte[], byte[]> producer, String topic, String clusterName, String nodeName, Duration interval,
      Totals totals, MeterRegistry registry, Clock clock) {
    this.producer = producer;
    this.topic = topic;
    this.clusterName = clusterName;
    this.nodeName = nodeName;
    this.interval = interval;
    this.totals = totals;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "heartbeat");
      thread.setDaemon(true);
      return thread;
    });
    this.failures = Counter.builder("kube_observe.agent.heartbeat.failures")
        .description("heartbeats Kafka did not take").register(registry);
  }

  void start() {
    executor.scheduleAtFixedRate(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void beat() {
    try {
      producer.send(new ProducerRecord<>(topic, nodeName.getBytes(StandardCharsets.UTF_8),
          OtlpCodec.encodeLogs(record(clock.instant()))), (metadata, error) -> {
            if (error != null) {
              failures.increment();
              LOG.warn("the heartbeat did not reach Kafka: {}", error.toString());
            }
          });
    } catch (RuntimeException e) {
      failures.increment();
      LOG.warn("sending the heartbeat failed: {}", e.toString());
    }
  }

  ExportLogsServiceRequest record(Instant now) {
    long slot = now.toEpochMilli() / interval.toMillis();
    String occurrence = RecordUid.occurrence(EventNames.AGENT_HEARTBEAT, nodeName,
        Instant.ofEpochMilli(slot * interval.toMillis()).toString());
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    LogRecord record = LogRecord.newBuilder()
        .setTimeUnixNano(nanos)
        .setObservedTimeUnixNano(nanos)
        .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
        .setEventName(EventNames.AGENT_HEARTBEAT)
        .setBody(OtlpValues.text("collector-agent on " + nodeName + " is alive"))
        .addAttributes(OtlpValues.string(Attributes.EVENT_NAME, EventNames.AGENT_HEARTBEAT))
        .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, occurrence))
        .addAttributes(OtlpValues.string(Attributes.KUBE_OBSERVE_AGENT_STARTED_AT, startedAt.toString()))
        .addAttributes(OtlpValues.integer(Attributes.KUBE_OBSERVE_AGENT_LOG_LINES, totals.logLines().getAsLong()))
        .addAttributes(OtlpValues.integer(Attributes.KUBE_OBSERVE_AGENT_LOG_BYTES, totals.logBytes().getAsLong()))
        .addAttributes(OtlpValues.integer(Attributes.KUBE_OBSERVE_AGENT_LOG_FILES, totals.logFiles().getAsLong()))
        .addAttributes(OtlpValues.integer(Attributes.KUBE_OBSERVE_AGENT_SIGNALS, totals.signals().getAsLong()))
        .addAttributes(OtlpValues.integer(Attributes.KUBE_OBSERVE_AGENT_SCRAPES, totals.scrapes().getAsLong()))
        .build();
    ScopeLogs.Builder scope = ScopeLogs.newBuilder().addLogRecords(record);
    scope.getScopeBuilder().setName(SignalRecords.SCOPE);
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, clusterName))
            .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, nodeName)))
        .addScopeLogs(scope)).build();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
