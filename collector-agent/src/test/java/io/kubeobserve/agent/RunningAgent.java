package io.kubeobserve.agent;

import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** An agent started in the test JVM as the launcher starts it, with test overrides. */
final class RunningAgent implements AutoCloseable {

  private final ServiceRuntime runtime;
  private final AgentService service;

  private RunningAgent(ServiceRuntime runtime, AgentService service) {
    this.runtime = runtime;
    this.service = service;
  }

  /** Starts an agent against {@code kafka} with the test defaults and {@code overrides} ({@code key=value}). */
  static RunningAgent start(EmbeddedKafka kafka, List<String> overrides) throws Exception {
    List<String> settings = new ArrayList<>(List.of("kafka.bootstrapServers=" + kafka.bootstrapServers(), "ops.port=0",
        "ops.address=127.0.0.1", "cluster.name=it", "kafka.provisioning.replicationFactor=1",
        "kafka.provisioning.minInsyncReplicas=1", "kafka.provisioning.partitions=1", "logs.pollInterval=200ms"));
    settings.addAll(overrides);
    AgentConfig config = ConfigLoader.load(AgentConfig.class, new ConfigSources(Optional.empty(), settings, Map.of()),
        AgentConfig.DEFAULTS);
    AtomicReference<AgentService> service = new AtomicReference<>();
    ServiceRuntime runtime = ServiceRuntime.start("agent", config, context -> {
      AgentService agent = new AgentService(config, context);
      service.set(agent);
      return agent;
    });
    return new RunningAgent(runtime, service.get());
  }

  /**
   * Starts an agent that only ships the logs under {@code logsRoot} to {@code topic}: no Kubernetes
   * API (metadata from the paths), no kubelet scrapes, no heartbeat; then {@code extra} overrides.
   */
  static RunningAgent startLogsOnly(EmbeddedKafka kafka, Path logsRoot, Path checkpoints, String topic,
      String... extra) throws Exception {
    return start(kafka, logsOnly(logsRoot, checkpoints, topic, extra));
  }

  /** The settings of {@link #startLogsOnly}, for tests that start the agent several times. */
  static List<String> logsOnly(Path logsRoot, Path checkpoints, String topic, String... extra) {
    List<String> settings = new ArrayList<>(List.of("kubernetes.enabled=false", "kubelet.endpoints=",
        "heartbeat.enabled=false", "node.name=node-a", "logs.root=" + logsRoot, "checkpoints.dir=" + checkpoints,
        "kafka.topics.logs=" + topic));
    settings.addAll(List.of(extra));
    return settings;
  }

  AgentService service() {
    return service;
  }

  ServiceRuntime runtime() {
    return runtime;
  }

  @Override
  public void close() throws Exception {
    runtime.close();
  }
}
