package io.kubeobserve.agent.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The log shipping meters, registered once: lines, bytes read and bytes sent per namespace, parse
 * errors, reassemblies, splits, bytes possibly lost at rotation, drops, send latency and failures,
 * and the gauges of buffered bytes, checkpoint lag and open files.
 */
final class LogMeters {

  /** The counters of one namespace. */
  record Namespace(Counter lines, Counter read, Counter sent) {}

  private final MeterRegistry registry;
  private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
  final Counter unparsed;
  final Counter reassembled;
  final Counter split;
  final Counter rotationLost;
  final Counter sendFailures;
  final Timer sendLatency;

  LogMeters(MeterRegistry registry) {
    this.registry = registry;
    this.unparsed = Counter.builder("kube_observe.agent.log.unparsed")
        .description("lines in no container log format, passed on flagged as unparsed").register(registry);
    this.reassembled = Counter.builder("kube_observe.agent.log.reassembled")
        .description("entries joined from the pieces the container runtime split them into").register(registry);
    this.split = Counter.builder("kube_observe.agent.log.split")
        .description("pieces of entries longer than logs.maxEntryBytes, passed on flagged as partial").register(registry);
    this.rotationLost = Counter.builder("kube_observe.agent.log.rotation.lost").baseUnit("bytes")
        .description("bytes that may have been lost to a copytruncate rotation (written after the last read, before"
            + " the truncation)").register(registry);
    this.sendFailures = Counter.builder("kube_observe.agent.log.send.failures")
        .description("batches Kafka did not acknowledge; their lines are read and sent again").register(registry);
    this.sendLatency = Timer.builder("kube_observe.agent.log.send.latency")
        .description("from handing a batch to the Kafka producer to its acknowledgement").register(registry);
  }

  /** The counters of {@code namespace}, registered on first use. */
  Namespace namespace(String namespace) {
    return namespaces.computeIfAbsent(namespace, ns -> new Namespace(
        Counter.builder("kube_observe.agent.log.lines").tag("namespace", ns)
            .description("log records acknowledged by Kafka").register(registry),
        Counter.builder("kube_observe.agent.log.read").tag("namespace", ns).baseUnit("bytes")
            .description("bytes of log files read").register(registry),
        Counter.builder("kube_observe.agent.log.sent").tag("namespace", ns).baseUnit("bytes")
            .description("bytes of log files whose records Kafka acknowledged").register(registry)));
  }

  /** The counter of lines dropped for {@code reason}; only configured drops happen. */
  Counter dropped(String reason) {
    return Counter.builder("kube_observe.agent.log.dropped").tag("reason", reason)
        .description("log lines dropped because the configuration says so").register(registry);
  }

  void gauges(Supplier<Number> buffered, Supplier<Number> checkpointLag, Supplier<Number> files) {
    Gauge.builder("kube_observe.agent.log.buffered", buffered).baseUnit("bytes")
        .description("bytes read from log files and not yet acknowledged by Kafka").register(registry);
    Gauge.builder("kube_observe.agent.log.checkpoint.lag", checkpointLag).baseUnit("bytes")
        .description("bytes of the open log files past their checkpoints").register(registry);
    Gauge.builder("kube_observe.agent.log.files", files).description("container log files being read")
        .register(registry);
  }

  long linesSent() {
    return (long) namespaces.values().stream().mapToDouble(n -> n.lines().count()).sum();
  }

  long bytesSent() {
    return (long) namespaces.values().stream().mapToDouble(n -> n.sent().count()).sum();
  }
}
