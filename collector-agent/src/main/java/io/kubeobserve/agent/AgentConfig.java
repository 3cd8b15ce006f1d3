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
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The collector-agent's configuration; keys and defaults are documented in {@code agent-defaults.yaml}. */
public record AgentConfig(
    KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops, KubernetesConfig kubernetes, Node node, Logs logs,
    Checkpoints checkpoints, Kubelet kubelet, Signals signals, Heartbeat heartbeat) implements ServiceConfig {

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

  /** How the kubelet is reached over the network. */
  public enum Transport {
    /** HTTPS (or http, for tests) straight to {@code kubelet.url}: the DaemonSet on the node. */
    DIRECT,
    /** Through the API server's {@code nodes/<node>/proxy} with the kubeconfig's credentials: off the node. */
    APISERVERPROXY
  }

  /** Which exposition format is asked of the kubelet's Prometheus endpoints. */
  public enum Format {
    /** Prometheus text 0.0.4. */
    TEXT,
    /** Delimited protobuf {@code io.prometheus.client.MetricFamily}, text accepted when the kubelet answers with it. */
    PROTOBUF
  }

  /** The kubelet's endpoints the agent can scrape. */
  public static final List<String> KUBELET_ENDPOINTS =
      List.of("/stats/summary", "/metrics/cadvisor", "/metrics/resource", "/metrics");

  public record Kubelet(Optional<URI> url, Transport transport, Optional<Path> tokenFile, Optional<Path> caFile,
      boolean insecureSkipVerify, List<String> endpoints, Duration interval, Duration jitter, Duration timeout,
      int maxResponseBytes, int maxRecordBytes, Format format, String metricsKeep) {
    public Kubelet {
      url.ifPresent(u -> Validate.httpUrl("url", u));
      Validate.positive("interval", interval);
      Validate.positive("timeout", timeout);
      if (jitter.isNegative() || jitter.compareTo(interval) >= 0) {
        throw new IllegalArgumentException("jitter must be at least 0 and shorter than the interval, not " + jitter);
      }
      for (String endpoint : endpoints) {
        if (!KUBELET_ENDPOINTS.contains(endpoint)) {
          throw new IllegalArgumentException("endpoints: unknown kubelet endpoint '" + endpoint + "'; known: "
              + KUBELET_ENDPOINTS);
        }
      }
      Validate.atLeast("maxResponseBytes", 65536, maxResponseBytes);
      Validate.atLeast("maxRecordBytes", 65536, maxRecordBytes);
      try {
        Pattern.compile(metricsKeep);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("metricsKeep is not a regular expression: " + e.getDescription());
      }
    }
  }

  public record Signals(boolean enabled, List<String> waitingReasons, boolean includeCompleted, int lastLogLines,
      int maxLogLineChars) {
    public Signals {
      Validate.atLeast("lastLogLines", 0, lastLogLines);
      Validate.atLeast("maxLogLineChars", 80, maxLogLineChars);
    }
  }

  public record Heartbeat(boolean enabled, Duration interval) {
    public Heartbeat {
      Validate.positive("interval", interval);
    }
  }
}
