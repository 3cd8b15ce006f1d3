package io.kubeobserve.agent;

import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
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
