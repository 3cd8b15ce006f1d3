package io.kubeobserve.core.runtime;

import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.core.ops.ReadinessCheck;
import java.util.List;

/**
 * A service's own work, run by {@link ServiceRuntime}. The runtime calls, in order:
 * {@link #topicsWritten()} (topics are created or checked before start), {@link #start()} once,
 * then {@link #close()} once when stopping. {@code close} must finish what is in flight (flush
 * producers, commit what was processed) and return; the runtime bounds it by
 * {@code ops.shutdownTimeout}.
 */
public interface Service extends AutoCloseable {

  /** Topics this service produces to; the runtime creates the missing ones. */
  List<TopicSpec> topicsWritten();

  /** Dependencies besides Kafka that {@code /readyz} reports. */
  default List<ReadinessCheck> readinessChecks() {
    return List.of();
  }

  /** Starts the service's threads; returns once it is running. */
  void start() throws Exception;

  /** Stops, finishing what is in flight. */
  @Override
  void close();
}
