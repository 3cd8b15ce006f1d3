package io.kubeobserve.adapter;

import io.kubeobserve.core.config.InvalidValueException;
import io.kubeobserve.core.config.Secret;
import io.kubeobserve.core.config.Validate;
import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.ops.OpsConfig;
import io.kubeobserve.core.runtime.ServiceConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The metrics-adapter's configuration; keys and defaults are documented in {@code adapter-defaults.yaml}. */
public record AdapterConfig(
    KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops, Exposition exposition, Consumer consumer,
    Staleness staleness, Limits limits, RemoteWrite remoteWrite) implements ServiceConfig {

  public static final String[] DEFAULTS = {"core-defaults.yaml", "adapter-defaults.yaml"};

  /**
   * {@code exposition.*}: the endpoint Prometheus scrapes.
   *
   * @param port port of the relayed metrics; 0 picks a free one
   * @param address address to listen on
   * @param path path of the relayed metrics
   * @param timestamps expose each sample with its source timestamp instead of letting Prometheus
   *     stamp it at scrape time
   * @param gzip compress the exposition when the scraper accepts gzip
   * @param clusterLabel when not empty, the label that carries {@code k8s.cluster.name} on every series
   */
  public record Exposition(int port, String address, String path, boolean timestamps, boolean gzip,
      String clusterLabel) {
    public Exposition {
      Validate.port("port", port);
      Validate.notBlank("address", address);
      if (!path.startsWith("/")) {
        throw new InvalidValueException("path", "expected a path starting with /, got '" + path + "'");
      }
      if (!clusterLabel.isEmpty() && !clusterLabel.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
        throw new InvalidValueException("clusterLabel", "expected a Prometheus label name, got '" + clusterLabel + "'");
      }
    }
  }

  /**
   * {@code consumer.*}: how the adapter reads {@code k8s-metrics}.
   *
   * @param groupId the consumer group; replicas share partitions
   * @param warmStart on partition assignment, re-read the last {@code staleness.timeout} of each
   *     assigned partition into the store (not into remote-write)
   */
  public record Consumer(String groupId, boolean warmStart) {
    public Consumer {
      Validate.notBlank("groupId", groupId);
    }
  }

  /**
   * {@code staleness.*}.
   *
   * @param timeout a series not updated for this long stops being exposed and is forgotten
   */
  public record Staleness(Duration timeout) {
    public Staleness {
      Validate.positive("timeout", timeout);
    }
  }

  /**
   * {@code limits.*}: the cardinality guard.
   *
   * @param maxSeries series the store holds at most
   * @param maxSeriesPerMetric series of one metric family at most
   * @param maxSeriesPerNamespace series of one Kubernetes namespace at most
   */
  public record Limits(int maxSeries, int maxSeriesPerMetric, int maxSeriesPerNamespace) {
    public Limits {
      Validate.atLeast("maxSeries", 1, maxSeries);
      Validate.atLeast("maxSeriesPerMetric", 1, maxSeriesPerMetric);
      Validate.atLeast("maxSeriesPerNamespace", 1, maxSeriesPerNamespace);
    }
  }

  /**
   * {@code remoteWrite.*}: Prometheus remote-write 1.0, as an alternative to scraping.
   *
   * @param url the receiver ({@code .../api/v1/write}, {@code .../api/v1/push}); empty: disabled
   * @param timeout of one request
   * @param maxSamplesPerSend samples per request at most
   * @param queueCapacity samples waiting to be sent at most; beyond, new samples are dropped and counted
   * @param minBackoff first wait before retrying a failed request
   * @param maxBackoff longest wait between retries
   * @param headers extra request headers, such as {@code X-Scope-OrgID} for Mimir tenants
   * @param bearerToken sent as {@code Authorization: Bearer}; or {@code bearerTokenFile}
   */
  public record RemoteWrite(Optional<URI> url, Duration timeout, int maxSamplesPerSend, int queueCapacity,
      Duration minBackoff, Duration maxBackoff, Map<String, String> headers, Optional<Secret> bearerToken) {
    public RemoteWrite {
      url.ifPresent(u -> Validate.httpUrl("url", u));
      Validate.positive("timeout", timeout);
      Validate.atLeast("maxSamplesPerSend", 1, maxSamplesPerSend);
      Validate.atLeast("queueCapacity", 1, queueCapacity);
      Validate.positive("minBackoff", minBackoff);
      Validate.positive("maxBackoff", maxBackoff);
      if (maxBackoff.compareTo(minBackoff) < 0) {
        throw new InvalidValueException("maxBackoff", "expected at least minBackoff (" + minBackoff + "), got "
            + maxBackoff);
      }
      headers = Map.copyOf(headers);
    }
  }
}
