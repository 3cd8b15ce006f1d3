package io.kubeobserve.router;

import io.kubeobserve.core.config.InvalidValueException;
import io.kubeobserve.core.config.Secret;
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

/** The event-router's configuration; keys and defaults are documented in {@code router-defaults.yaml}. */
public record RouterConfig(
    KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops, KubernetesConfig kubernetes, Watcher watcher,
    Elasticsearch elasticsearch, Indexer indexer)
    implements ServiceConfig {

  public static final String[] DEFAULTS = {"core-defaults.yaml", "router-defaults.yaml"};

  /** The node conditions whose transitions the watcher reports. */
  public static final List<String> KNOWN_CONDITIONS =
      List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");

  /**
   * {@code watcher.*}: cluster Events and Node conditions into {@code k8s-events}, by the one
   * replica holding the Lease.
   */
  public record Watcher(boolean enabled, String leaseNamespace, String leaseName, Optional<String> identity,
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, String stateTopic, EventsApi eventsApi,
      List<String> nodeConditions) {
    public Watcher {
      Validate.notBlank("leaseNamespace", leaseNamespace);
      Validate.notBlank("leaseName", leaseName);
      Validate.positive("leaseDuration", leaseDuration);
      Validate.positive("renewDeadline", renewDeadline);
      Validate.positive("retryPeriod", retryPeriod);
      if (renewDeadline.compareTo(leaseDuration) >= 0) {
        throw new InvalidValueException("renewDeadline", "expected less than leaseDuration (" + leaseDuration + ")");
      }
      if (retryPeriod.compareTo(renewDeadline) >= 0) {
        throw new InvalidValueException("retryPeriod", "expected less than renewDeadline (" + renewDeadline + ")");
      }
      Validate.notBlank("stateTopic", stateTopic);
      for (int i = 0; i < nodeConditions.size(); i++) {
        if (!KNOWN_CONDITIONS.contains(nodeConditions.get(i))) {
          throw new InvalidValueException("nodeConditions[" + i + "]",
              "expected one of " + KNOWN_CONDITIONS + ", got '" + nodeConditions.get(i) + "'");
        }
      }
      nodeConditions = List.copyOf(nodeConditions);
    }
  }

  /** Which Events API the watcher reads. */
  public enum EventsApi {
    /** events.k8s.io/v1 when the server offers it, else core/v1. */
    AUTO,
    /** events.k8s.io/v1. */
    EVENTS_V1,
    /** core/v1. */
    CORE
  }

  /** {@code elasticsearch.*}: where and how the indexer writes. */
  public record Elasticsearch(List<URI> urls, Optional<String> username, Optional<Secret> password,
      Optional<Secret> apiKey, Optional<Path> caFile, Duration connectTimeout, Duration socketTimeout,
      boolean compression, DataStreams dataStreams, Templates templates, Retention retention) {
    public Elasticsearch {
      if (urls.isEmpty()) {
        throw new InvalidValueException("urls", "expected at least one URL");
      }
      urls.forEach(url -> Validate.httpUrl("urls", url));
      urls = List.copyOf(urls);
      if (username.isPresent() != password.isPresent()) {
        throw new InvalidValueException(username.isPresent() ? "password" : "username",
            "expected username and password together");
      }
      if (apiKey.isPresent() && username.isPresent()) {
        throw new InvalidValueException("apiKey", "expected either apiKey or username/password, not both");
      }
      Validate.positive("connectTimeout", connectTimeout);
      Validate.positive("socketTimeout", socketTimeout);
    }
  }

  /**
   * {@code elasticsearch.dataStreams.*}: data streams are named {@code logs-<dataset>-<namespace>}.
   */
  public record DataStreams(String logsDataset, String eventsDataset, String alertsDataset, String namespace) {
    private static final Pattern DATASET = Pattern.compile("[a-z0-9_.]{1,100}");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_.]{1,100}");

    public DataStreams {
      dataset("logsDataset", logsDataset);
      dataset("eventsDataset", eventsDataset);
      dataset("alertsDataset", alertsDataset);
      if (!NAMESPACE.matcher(namespace).matches()) {
        throw new InvalidValueException("namespace",
            "expected 1-100 characters of a-z, 0-9, '_' and '.' (no '-'), got '" + namespace + "'");
      }
    }

    private static void dataset(String key, String value) {
      if (!DATASET.matcher(value).matches() || value.startsWith(".") || value.startsWith("_")) {
        throw new InvalidValueException(key,
            "expected 1-100 characters of a-z, 0-9, '_' and '.' (no '-'), got '" + value + "'");
      }
    }
  }

  /** {@code elasticsearch.templates.*}: the index templates installed at start. */
  public record Templates(boolean install, int priority, int shards, int replicas, String refreshInterval) {
    public Templates {
      Validate.atLeast("priority", 101, priority);
      Validate.atLeast("shards", 1, shards);
      Validate.atLeast("replicas", 0, replicas);
      Validate.notBlank("refreshInterval", refreshInterval);
    }
  }

  /** How old documents go away. */
  public enum RetentionMode {
    /** The data stream lifecycle's {@code data_retention} (Elasticsearch 8.14+). */
    LIFECYCLE,
    /** An ILM policy, named by {@code ilmPolicy}, managed outside kube-observe. */
    ILM,
    /** Nothing: documents stay until someone deletes them. */
    NONE
  }

  /** {@code elasticsearch.retention.*}. */
  public record Retention(RetentionMode mode, Duration period, Optional<String> ilmPolicy) {
    public Retention {
      Validate.positive("period", period);
      if (mode == RetentionMode.ILM && ilmPolicy.isEmpty()) {
        throw new InvalidValueException("ilmPolicy", "expected a policy name when mode is ilm");
      }
    }
  }

  /** {@code indexer.*}: the consumer group that bulk-indexes Kafka records into Elasticsearch. */
  public record Indexer(boolean enabled, String groupId, boolean logs, boolean events, boolean alerts,
      int consumers, Bulk bulk, Retry retry) {
    public Indexer {
      Validate.notBlank("groupId", groupId);
      Validate.atLeast("consumers", 1, consumers);
    }
  }

  /** {@code indexer.bulk.*}: a bulk request is sent when it reaches either size, or after {@code linger}. */
  public record Bulk(int maxDocuments, int maxBytes, Duration linger) {
    public Bulk {
      Validate.atLeast("maxDocuments", 1, maxDocuments);
      Validate.atLeast("maxBytes", 1024, maxBytes);
      Validate.positive("linger", linger);
    }
  }

  /** {@code indexer.retry.*}: backoff of retried bulk requests and documents (429, 5xx, connection errors). */
  public record Retry(Duration initialBackoff, Duration maxBackoff) {
    public Retry {
      Validate.positive("initialBackoff", initialBackoff);
      Validate.positive("maxBackoff", maxBackoff);
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new InvalidValueException("maxBackoff", "expected at least initialBackoff (" + initialBackoff + ")");
      }
    }
  }
}
