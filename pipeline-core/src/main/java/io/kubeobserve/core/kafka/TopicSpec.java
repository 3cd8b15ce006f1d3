package io.kubeobserve.core.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A topic a service writes, and what its guarantees need of it.
 *
 * @param name topic name
 * @param compacted a state topic (latest value per key kept forever) rather than a stream
 * @param retention how long a stream topic keeps records; empty for state topics
 */
public record TopicSpec(String name, boolean compacted, Optional<Duration> retention) {

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(retention, "retention");
  }

  public static TopicSpec stream(String name, Duration retention) {
    return new TopicSpec(name, false, Optional.of(retention));
  }

  public static TopicSpec state(String name) {
    return new TopicSpec(name, true, Optional.empty());
  }
}
