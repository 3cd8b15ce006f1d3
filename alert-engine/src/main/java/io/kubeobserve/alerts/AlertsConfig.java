package io.kubeobserve.alerts;

import io.kubeobserve.alerts.notify.Notification.Severity;
import io.kubeobserve.alerts.notify.ReceiverConfig;
import io.kubeobserve.core.config.InvalidValueException;
import io.kubeobserve.core.config.Validate;
import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.ops.OpsConfig;
import io.kubeobserve.core.runtime.ServiceConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert-engine's configuration; keys and defaults are documented in {@code alerts-defaults.yaml}.
 *
 * @param receivers where notifications go
 * @param engine the Kafka Streams application
 * @param incidents how incidents group, repeat and resolve
 * @param heartbeat when a silent agent becomes an incident
 * @param routes which receivers get which incidents, first match wins
 * @param defaultReceivers receivers of incidents no route matches; empty means every receiver
 * @param silences silences from the configuration
 * @param silencesApi the HTTP API that adds and lists silences
 * @param links URL templates shown with every notification
 * @param thresholds threshold rules over {@code k8s-metrics}
 * @param pipelineHealth the pipeline's own health checks beyond heartbeats and dead letters
 */
public record AlertsConfig(KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops, List<ReceiverConfig> receivers,
    Engine engine, Incidents incidents, Heartbeat heartbeat, List<Route> routes,
    List<String> defaultReceivers, List<SilenceConfig> silences, SilencesApi silencesApi, List<LinkTemplate> links,
    List<ThresholdRule> thresholds, PipelineHealth pipelineHealth) implements ServiceConfig {

  public static final String[] DEFAULTS = {"core-defaults.yaml", "alerts-defaults.yaml"};

  public AlertsConfig {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < receivers.size(); i++) {
      if (!names.add(receivers.get(i).name())) {
        throw new InvalidValueException("receivers[" + i + "].name",
            "expected a name no other receiver has, got '" + receivers.get(i).name() + "' twice");
      }
    }
    for (int i = 0; i < routes.size(); i++) {
      requireReceivers("routes[" + i + "].receivers", routes.get(i).receivers(), names);
    }
    requireReceivers("defaultReceivers", defaultReceivers, names);
    Set<String> rules = new HashSet<>();
    for (int i = 0; i < thresholds.size(); i++) {
      if (!rules.add(thresholds.get(i).name())) {
        throw new InvalidValueException("thresholds[" + i + "].name",
            "expected a name no other threshold rule has, got '" + thresholds.get(i).name() + "' twice");
      }
    }
    routes = List.copyOf(routes);
    defaultReceivers = List.copyOf(defaultReceivers);
    silences = List.copyOf(silences);
    links = List.copyOf(links);
    thresholds = List.copyOf(thresholds);
  }

  private static void requireReceivers(String key, List<String> wanted, Set<String> known) {
    for (int i = 0; i < wanted.size(); i++) {
      if (!known.contains(wanted.get(i))) {
        throw new InvalidValueException(key + "[" + i + "]",
            "expected the name of a configured receiver " + known + ", got '" + wanted.get(i) + "'");
      }
    }
  }

  /**
   * {@code engine.*}: the Kafka Streams application.
   *
   * @param applicationId Kafka Streams {@code application.id}: consumer group, prefix of internal topics
   * @param stateDir where local state stores live (rebuilt from their changelogs when lost)
   * @param commitInterval how often processing commits; a notification leaves after its commit
   * @param threads stream threads
   * @param tickInterval how often timers (resolve, repeat, grouping, heartbeats) are checked
   */
  public record Engine(String applicationId, Path stateDir, Duration commitInterval, int threads,
      Duration tickInterval, Duration firstStartLookback) {
    public Engine {
      Validate.notBlank("applicationId", applicationId);
      Validate.positive("commitInterval", commitInterval);
      Validate.atLeast("threads", 1, threads);
      Validate.positive("tickInterval", tickInterval);
      Validate.notNegative("firstStartLookback", firstStartLookback);
    }

    /** The internal topic of notifications decided and not yet sent. */
    public String outboxTopic() {
      return applicationId + "-outbox";
    }

    /** The compacted topic of silences. */
    public String silencesTopic() {
      return applicationId + "-silences";
    }
  }

  /**
   * {@code incidents.*}.
   *
   * @param quietPeriod a container, pod or kernel incident resolves after this long without a new occurrence
   * @param groupWait a {@code PodEvicted} incident waits this long before its first message, so that a
   *     pressure condition of its node reported a little later takes its evictions in
   * @param updateInterval at most one UPDATED message per incident per this interval
   * @param repeatInterval a still firing incident is sent again after this long
   * @param keepResolved how long a resolved incident is kept, so late duplicates of its occurrences are recognised
   */
  public record Incidents(Duration quietPeriod, Duration groupWait, Duration updateInterval,
      Duration repeatInterval, Duration keepResolved) {
    public Incidents {
      Validate.positive("quietPeriod", quietPeriod);
      Validate.positive("groupWait", groupWait);
      Validate.positive("updateInterval", updateInterval);
      Validate.positive("repeatInterval", repeatInterval);
      Validate.positive("keepResolved", keepResolved);
    }
  }

  /**
   * {@code heartbeat.*}.
   *
   * @param timeout an agent whose heartbeat has not come for this long fires {@code AgentHeartbeatMissing}
   */
  public record Heartbeat(Duration timeout) {
    public Heartbeat {
      Validate.positive("timeout", timeout);
    }
  }

  /**
   * {@code routes[n]}: incidents whose labels match every entry of {@code match} go to {@code receivers}.
   *
   * @param match label → value; keys are notification labels ({@code namespace}, {@code alertname},
   *     {@code severity}, {@code node}, ...) or {@code label.<key>} for a pod label
   * @param receivers receiver names
   */
  public record Route(Map<String, String> match, List<String> receivers) {
    public Route {
      match = Map.copyOf(match);
      receivers = List.copyOf(receivers);
    }
  }

  /**
   * {@code silences[n]}: incidents whose labels match every matcher are not sent until {@code until}.
   *
   * @param matchers label → value, as in {@link Route#match()}
   * @param until end of the silence, RFC 3339 ({@code 2026-12-24T18:00:00Z})
   * @param comment why
   */
  public record SilenceConfig(Map<String, String> matchers, String until, String comment) {
    public SilenceConfig {
      matchers = Map.copyOf(matchers);
      if (matchers.isEmpty()) {
        throw new InvalidValueException("matchers", "expected at least one matcher");
      }
      try {
        Instant.parse(until);
      } catch (DateTimeParseException e) {
        throw new InvalidValueException("until", "expected an RFC 3339 time like 2026-12-24T18:00:00Z, got '"
            + until + "'");
      }
    }
  }

  /**
   * {@code silencesApi.*}.
   *
   * @param enabled serve the API
   * @param address address to bind
   * @param port port; 0 picks a free one (logged at start)
   */
  public record SilencesApi(boolean enabled, String address, int port) {
    public SilencesApi {
      Validate.notBlank("address", address);
      Validate.port("port", port);
    }
  }

  /**
   * {@code links[n]}: a named link; placeholders {@code {cluster} {namespace} {pod} {container}
   * {node} {workload} {alertname} {from} {to}} are replaced (URL-encoded; {@code from}/{@code to} RFC 3339).
   */
  public record LinkTemplate(String name, String url) {
    public LinkTemplate {
      Validate.notBlank("name", name);
      Validate.notBlank("url", url);
      try {
        Validate.httpUrl("url", new URI(url.replaceAll("\\{[a-z]+}", "x")));
      } catch (URISyntaxException e) {
        throw new InvalidValueException("url", "expected an http:// or https:// URL template (characters such as "
            + "quotes and spaces percent-encoded), got '" + url + "': " + e.getReason());
      }
    }
  }

  /**
   * {@code pipelineHealth.*}.
   *
   * @param lag the consumer lag of the pipeline's consumer groups
   */
  public record PipelineHealth(Lag lag) {}

  /**
   * {@code pipelineHealth.lag.*}: the lag of consumer groups, read every {@code interval}, as the
   * {@code ConsumerLag} rule.
   *
   * @param interval how often the lag is read
   * @param groups the groups watched; empty: none
   */
  public record Lag(Duration interval, List<LagGroup> groups) {
    public Lag {
      Validate.positive("interval", interval);
      groups = List.copyOf(groups);
      Set<String> names = new HashSet<>();
      for (int i = 0; i < groups.size(); i++) {
        if (!names.add(groups.get(i).group())) {
          throw new InvalidValueException("groups[" + i + "].group",
              "expected a group no other entry names, got '" + groups.get(i).group() + "' twice");
        }
      }
    }
  }

  /**
   * {@code pipelineHealth.lag.groups[n]}.
   *
   * @param group the consumer group id
   * @param threshold the group fires {@code ConsumerLag} while more than this many records behind
   * @param forDuration how long the lag must stay over the threshold before it fires
   */
  public record LagGroup(String group, long threshold, Duration forDuration) {
    public LagGroup {
      Validate.notBlank("group", group);
      if (threshold < 0) {
        throw new InvalidValueException("threshold", "expected a number of records, 0 or more, got " + threshold);
      }
      Validate.positive("forDuration", forDuration);
    }
  }

  /**
   * {@code thresholds[n]}: a rule over one metric of {@code k8s-metrics}.
   *
   * @param name the rule's name, its {@code alertname}
   * @param metric the metric name ({@code k8s.node.memory.available}, {@code k8s.volume.available}, ...)
   * @param divideBy optional: a metric of the same resource and attributes to divide by (a capacity),
   *     so the threshold is a ratio; empty for the raw value
   * @param match resource or data point attributes that must have these values
   * @param comparison {@code below} or {@code above}
   * @param threshold the value (or ratio) compared with
   * @param forDuration how long the comparison must hold before the rule fires
   * @param severity the incident's severity
   */
  public record ThresholdRule(String name, String metric, String divideBy, Map<String, String> match,
      Comparison comparison, double threshold, Duration forDuration, Severity severity) {
    public ThresholdRule {
      Validate.notBlank("name", name);
      Validate.notBlank("metric", metric);
      match = Map.copyOf(match);
    }

    /** Whether a value breaches the rule. */
    public boolean breached(double value) {
      return comparison == Comparison.BELOW ? value < threshold : value > threshold;
    }

    /** How the value is compared with the threshold. */
    public enum Comparison { BELOW, ABOVE }
  }
}
