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
import java.util.Map;
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

  /** Container log shipping ({@code logs.*}). */
  public record Logs(boolean enabled, Path root, Duration pollInterval, StartAt startAt, int maxEntryBytes, long maxBufferedBytes,
      Duration partialTimeout, Duration rotateWait, Batch batch, RateLimit rateLimit, Compression compression,
      PodFilter include, PodFilter exclude, Multiline multiline, List<String> annotations,
      Duration deletedPodRetention) {
    public Logs {
      Validate.positive("pollInterval", pollInterval);
      Validate.atLeast("maxEntryBytes", 1024, maxEntryBytes);
      if (maxEntryBytes > batch.maxBytes() / 2) {
        throw new IllegalArgumentException("maxEntryBytes must be at most half of batch.maxBytes ("
            + batch.maxBytes() / 2 + "), so that an entry always fits a Kafka record, not " + maxEntryBytes);
      }
      if (maxBufferedBytes < 4L * batch.maxBytes()) {
        throw new IllegalArgumentException("maxBufferedBytes must be at least 4 x batch.maxBytes ("
            + 4L * batch.maxBytes() + "), not " + maxBufferedBytes);
      }
      Validate.positive("partialTimeout", partialTimeout);
      Validate.positive("rotateWait", rotateWait);
      Validate.positive("deletedPodRetention", deletedPodRetention);
    }
  }

  /** What happens to the files already present at the agent's very first start. */
  public enum StartAt {
    /** They are read from their first byte. */
    BEGINNING,
    /** Their present content is skipped; what is written from then on is read. */
    END
  }

  /** Compression of the log records' Kafka batches. */
  public enum Compression { LZ4, ZSTD }

  /** One Kafka record per container holds at most {@code maxBytes}, sent at the latest {@code linger} after its first line. */
  public record Batch(int maxBytes, Duration linger) {
    public Batch {
      Validate.atLeast("maxBytes", 16384, maxBytes);
      if (maxBytes > 900_000) {
        throw new IllegalArgumentException("maxBytes must be at most 900000 (below Kafka's default 1 MiB record limit),"
            + " not " + maxBytes);
      }
      Validate.positive("linger", linger);
    }
  }

  /** Per-container byte rate limit ({@code 0} = off); over it, reading pauses, or lines are dropped when {@code drop}. */
  public record RateLimit(long bytesPerSecond, boolean drop) {
    public RateLimit {
      if (bytesPerSecond < 0) {
        throw new IllegalArgumentException("bytesPerSecond must be 0 (off) or more, not " + bytesPerSecond);
      }
    }
  }

  /** Pods by namespace, label or annotation: a pod matches when any listed item matches. */
  public record PodFilter(List<String> namespaces, Map<String, String> labels, Map<String, String> annotations) {
    public boolean isEmpty() {
      return namespaces.isEmpty() && labels.isEmpty() && annotations.isEmpty();
    }
  }

  /** Joining multi-line application records (stack traces). */
  public record Multiline(boolean enabled, String startPattern, Duration timeout) {
    public Multiline {
      try {
        Pattern.compile(startPattern);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("startPattern is not a regular expression: " + e.getDescription());
      }
      Validate.positive("timeout", timeout);
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
      int maxLogLineChars, Duration memoryWindow) {
    public Signals {
      Validate.atLeast("lastLogLines", 0, lastLogLines);
      Validate.atLeast("maxLogLineChars", 80, maxLogLineChars);
      Validate.positive("memoryWindow", memoryWindow);
    }
  }

  public record Heartbeat(boolean enabled, Duration interval) {
    public Heartbeat {
      Validate.positive("interval", interval);
    }
  }
}
