package io.kubeobserve.core.contract;

import io.kubeobserve.core.config.Validate;

/**
 * The topic names of the Kafka contract ({@code kafka.topics.*}).
 *
 * @param logs OTLP logs batches, one container's lines each, keyed by pod UID
 * @param metrics OTLP metrics batches, keyed by node name
 * @param events OTLP logs, one record per Kubernetes Event or derived signal, keyed by object UID
 * @param alerts incident state changes, compacted, keyed by incident fingerprint
 * @param deadletter records a consumer could not process: the original bytes and the error
 */
public record Topics(String logs, String metrics, String events, String alerts, String deadletter) {

  public Topics {
    Validate.notBlank("logs", logs);
    Validate.notBlank("metrics", metrics);
    Validate.notBlank("events", events);
    Validate.notBlank("alerts", alerts);
    Validate.notBlank("deadletter", deadletter);
  }

  /** These names with another logs topic, for tests and tools that need a topic of their own. */
  public Topics withLogs(String name) {
    return new Topics(name, metrics, events, alerts, deadletter);
  }

  /** The default names: {@code k8s-logs}, {@code k8s-metrics}, {@code k8s-events}, {@code k8s-alerts}, {@code k8s-deadletter}. */
  public static Topics defaults() {
    return new Topics("k8s-logs", "k8s-metrics", "k8s-events", "k8s-alerts", "k8s-deadletter");
  }
}
