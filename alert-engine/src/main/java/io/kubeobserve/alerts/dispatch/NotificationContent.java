package io.kubeobserve.alerts.dispatch;

import io.kubeobserve.alerts.AlertsConfig.LinkTemplate;
import io.kubeobserve.alerts.detect.Rules;
import io.kubeobserve.alerts.incident.Incident;
import io.kubeobserve.alerts.notify.Notification;
import io.kubeobserve.alerts.notify.Notification.Kind;
import io.kubeobserve.alerts.notify.Notification.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the message about an incident: title and summary (what, where, when, why), labels,
 * details, members, last log lines, and the configured links with their placeholders filled in.
 */
public final class NotificationContent {

  /** Logs and dashboards are linked from this long before the incident started. */
  static final Duration LINK_BEFORE = Duration.ofMinutes(15);
  /** ... to this long after it ended (or now). */
  static final Duration LINK_AFTER = Duration.ofMinutes(5);

  private final String cluster;
  private final List<LinkTemplate> links;

  public NotificationContent(String cluster, List<LinkTemplate> links) {
    this.cluster = cluster;
    this.links = List.copyOf(links);
  }

  public Notification of(Incident incident, Kind kind, Instant now) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.ALERTNAME, incident.rule());
    labels.put(Labels.SEVERITY, incident.severity().name().toLowerCase(Locale.ROOT));
    labels.put(Labels.CLUSTER, cluster);
    for (String key : List.of(Labels.NODE, Labels.NAMESPACE, Labels.WORKLOAD, Labels.POD, Labels.CONTAINER)) {
      String value = incident.labels().get(key);
      if (value != null && !value.isEmpty()) {
        labels.put(key, value);
      }
    }
    Instant startsAt = Instant.ofEpochMilli(incident.startedAt());
    Optional<Instant> endsAt = kind == Kind.RESOLVED ? Optional.of(Instant.ofEpochMilli(incident.endedAt()))
        : Optional.empty();
    return new Notification(incident.fingerprint(), kind, incident.rule(), incident.severity(), title(incident),
        summary(incident, kind), labels, incident.details(), startsAt, endsAt, incident.members(),
        incident.lastLogLines(), links(labels, startsAt, endsAt.orElse(now)));
  }

  private static String title(Incident incident) {
    return switch (incident.rule()) {
      case Rules.POD_EVICTED -> Rules.POD_EVICTED + ": " + plural(incident.occurrenceCount(), "pod")
          + " evicted from node " + incident.node();
      case Rules.OOM_KILLED, Rules.CRASH_LOOP_BACK_OFF -> incident.rule() + ": " + incident.object();
      case Rules.NODE_MEMORY_PRESSURE, Rules.NODE_DISK_PRESSURE, Rules.NODE_PID_PRESSURE, Rules.NODE_NOT_READY,
          Rules.NODE_NETWORK_UNAVAILABLE, Rules.KERNEL_OOM, Rules.AGENT_HEARTBEAT_MISSING ->
          incident.rule() + ": node " + incident.node();
      default -> incident.rule() + ": " + incident.object();
    };
  }

  private static String summary(Incident incident, Kind kind) {
    StringBuilder text = new StringBuilder(what(incident));
    if (incident.occurrenceCount() > 1 && !Rules.POD_EVICTED.equals(incident.rule())
        && !Rules.DEAD_LETTERS.equals(incident.rule())) {
      text.append(" It happened ").append(incident.occurrenceCount()).append(" times.");
    }
    if (Rules.foldsEvictions(incident.rule()) && incident.occurrenceCount() > 1) {
      text.append(' ').append(plural(incident.occurrenceCount() - 1, "pod")).append(" evicted.");
    }
    String reason = incident.details().getOrDefault("Message", "");
    if (!reason.isEmpty()) {
      text.append(" ").append(reason);
    }
    if (kind == Kind.RESOLVED) {
      text.append(" Resolved after ")
          .append(humanize(Duration.ofMillis(Math.max(0, incident.endedAt() - incident.openedAt())))).append('.');
    }
    return text.toString();
  }

  private static String what(Incident incident) {
    String node = incident.node();
    return switch (incident.rule()) {
      case Rules.OOM_KILLED -> "Container " + incident.object() + " on node " + node
          + " was killed for using more memory than its limit"
          + Optional.ofNullable(incident.details().get("Memory limit")).map(limit -> " of " + limit).orElse("")
          + " (exit code " + incident.details().getOrDefault("Exit code", "137") + ")"
          + Optional.ofNullable(incident.details().get("Last working set"))
              .map(usage -> "; its last measured working set was " + usage).orElse("") + ".";
      case Rules.CRASH_LOOP_BACK_OFF -> "Container " + incident.object() + " on node " + node
          + " keeps crashing; the kubelet is backing off restarting it.";
      case Rules.POD_EVICTED -> "The kubelet of node " + node + " evicted "
          + plural(incident.occurrenceCount(), "pod")
          + incident.details().entrySet().stream().filter(e -> e.getKey().equals("Resource"))
              .map(e -> " to reclaim " + e.getValue()).findFirst().orElse("") + ".";
      case Rules.NODE_MEMORY_PRESSURE -> "Node " + node + " is low on memory (MemoryPressure).";
      case Rules.NODE_DISK_PRESSURE -> "Node " + node + " is low on disk space (DiskPressure).";
      case Rules.NODE_PID_PRESSURE -> "Node " + node + " is low on process IDs (PIDPressure).";
      case Rules.NODE_NOT_READY -> "Node " + node + " is not ready.";
      case Rules.NODE_NETWORK_UNAVAILABLE -> "The network of node " + node + " is not configured.";
      case Rules.KERNEL_OOM -> "The kernel's OOM killer killed a process on node " + node + ".";
      case Rules.DEAD_LETTERS -> plural(incident.occurrenceCount(), "record") + " of "
          + incident.details().getOrDefault("Source topic", "?") + " could not be processed by "
          + incident.details().getOrDefault("Service", "?") + " and went to the dead-letter topic.";
      case Rules.CONSUMER_LAG -> "Consumer group " + incident.object() + " is "
          + incident.details().getOrDefault("Lag", "?") + " behind its topics ("
          + incident.details().getOrDefault("Lag by topic", "") + "), "
          + incident.details().getOrDefault("Threshold", "") + " for "
          + incident.details().getOrDefault("For", "?") + ".";
      case Rules.AGENT_HEARTBEAT_MISSING -> "The kube-observe agent of node " + node
          + " has not sent its heartbeat since " + incident.details().getOrDefault("Last heartbeat", "?") + ".";
      default -> incident.rule() + " on " + incident.object() + ": " + incident.details().getOrDefault("Metric", "")
          + " is " + incident.details().getOrDefault("Value", "?") + " ("
          + incident.details().getOrDefault("Threshold", "") + ").";
    };
  }

  private List<Notification.Link> links(Map<String, String> labels, Instant startsAt, Instant endsAt) {
    Map<String, String> values = new LinkedHashMap<>(labels);
    values.put("from", startsAt.minus(LINK_BEFORE).toString());
    values.put("to", endsAt.plus(LINK_AFTER).toString());
    List<Notification.Link> built = new ArrayList<>();
    for (LinkTemplate link : links) {
      String url = link.url();
      for (String key : List.of(Labels.CLUSTER, Labels.NAMESPACE, Labels.POD, Labels.CONTAINER, Labels.NODE,
          Labels.WORKLOAD, Labels.ALERTNAME, "from", "to")) {
        url = url.replace("{" + key + "}", URLEncoder.encode(values.getOrDefault(key, ""), StandardCharsets.UTF_8));
      }
      built.add(new Notification.Link(link.name(), URI.create(url)));
    }
    return built;
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  private static String humanize(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    return seconds < 3600 ? (seconds / 60) + "m" + (seconds % 60 == 0 ? "" : (seconds % 60) + "s")
        : (seconds / 3600) + "h" + ((seconds % 3600) / 60) + "m";
  }
}
