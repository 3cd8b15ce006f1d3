package io.kubeobserve.agent;

import io.kubeobserve.core.config.Validate;
import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.kubernetes.KubernetesConfig;
import io.kubeobserve.core.ops.OpsConfig;
import io.kubeobserve.core.runtime.ServiceConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The collector-agent's configuration; keys and defaults are documented in {@code agent-defaults.yaml}. */
public record AgentConfig(
    KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops, KubernetesConfig kubernetes, Node node, Logs logs,
    Checkpoints checkpoints, Kubelet kubelet) implements ServiceConfig {

  /** Defaults first, then the agent's own. */
  public static final String[] DEFAULTS = {"core-defaults.yaml", "agent-defaults.yaml"};

  public record Node(Optional<String> name) {}

  public record Logs(Path root, Duration pollInterval, int maxBatchBytes) {
    public Logs {
      Validate.positive("pollInterval", pollInterval);
      Validate.atLeast("maxBatchBytes", 4096, maxBatchBytes);
    }
  }

  public record Checkpoints(Path dir) {}

  public record Kubelet(Optional<URI> url) {
    public Kubelet {
      url.ifPresent(u -> Validate.httpUrl("url", u));
    }
  }
}
