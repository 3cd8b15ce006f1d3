package io.kubeobserve.core.kafka;

import io.kubeobserve.core.config.InvalidValueException;
import io.kubeobserve.core.config.Validate;
import java.time.Duration;

/**
 * {@code kafka.provisioning.*}: settings of the topics a service creates when they are missing.
 * Production defaults are 3 replicas with {@code min.insync.replicas} 2, so that one broker can
 * fail without losing an acknowledged record; a one-broker local stack uses 1 and 1.
 *
 * @param enabled whether to create missing topics at start (existing ones are always checked)
 * @param partitions partitions of a new topic
 * @param replicationFactor replicas of a new topic
 * @param minInsyncReplicas {@code min.insync.replicas} of a new topic
 * @param retention retention per stream topic
 */
public record TopicProvisioning(
    boolean enabled, int partitions, int replicationFactor, int minInsyncReplicas, Retention retention) {

  public TopicProvisioning {
    Validate.atLeast("partitions", 1, partitions);
    Validate.atLeast("replicationFactor", 1, replicationFactor);
    Validate.atLeast("minInsyncReplicas", 1, minInsyncReplicas);
    if (minInsyncReplicas > replicationFactor) {
      throw new InvalidValueException("minInsyncReplicas",
          "expected at most replicationFactor (" + replicationFactor + "), got " + minInsyncReplicas);
    }
  }

  /** How long each stream topic keeps records; state topics are compacted instead. */
  public record Retention(Duration logs, Duration metrics, Duration events, Duration deadletter) {

    public Retention {
      Validate.positive("logs", logs);
      Validate.positive("metrics", metrics);
      Validate.positive("events", events);
      Validate.positive("deadletter", deadletter);
    }
  }
}
