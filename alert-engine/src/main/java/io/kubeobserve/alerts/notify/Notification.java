package io.kubeobserve.alerts.notify;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One message about one incident, as every notifier renders it: what happened, where, when, why,
 * the container's last lines and links. Text from the cluster (names, messages, log lines) is raw
 * here; each notifier escapes and truncates it for its service.
 *
 * @param fingerprint the incident's id (stable for the incident's life; Alertmanager's grouping key)
 * @param kind whether the incident starts, changed (more members folded in) or resolved
 * @param rule the rule that fired, also the Alertmanager {@code alertname} ({@code OOMKilled},
 *     {@code PodEvicted}, {@code NodeMemoryPressure}, ...)
 * @param severity how urgent
 * @param title one line, e.g. "OOMKilled: shop/cart-7d9f/cart"
 * @param summary what happened and why, in a few sentences (reason, exit code, limit vs usage)
 * @param labels where: cluster, node, namespace, workload, pod, container (keys as in {@link Labels})
 *     plus {@code alertname} and {@code severity}; insertion-ordered
 * @param details further facts shown as fields (e.g. "Exit code" → "137", "Memory limit" → "512Mi");
 *     insertion-ordered
 * @param startsAt when the condition began (the signal's time)
 * @param endsAt when it ended, for a resolved incident
 * @param members what an incident folded in (e.g. the pods evicted from a node), newest last
 * @param lastLogLines the container's last log lines, oldest first
 * @param links named links built from the configured URL templates (logs, dashboards)
 */
public record Notification(
    String fingerprint, Kind kind, String rule, Severity severity, String title, String summary,
    Map<String, String> labels, Map<String, String> details, Instant startsAt, Optional<Instant> endsAt,
    List<String> members, List<String> lastLogLines, List<Link> links) {

  public Notification {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    members = List.copyOf(members);
    lastLogLines = List.copyOf(lastLogLines);
    links = List.copyOf(links);
  }

  public enum Kind { FIRING, UPDATED, RESOLVED }

  public enum Severity { CRITICAL, WARNING, INFO }

  public record Link(String name, URI url) {}

  /** Label keys of {@link #labels()}. */
  public static final class Labels {
    public static final String ALERTNAME = "alertname";
    public static final String SEVERITY = "severity";
    public static final String CLUSTER = "cluster";
    public static final String NODE = "node";
    public static final String NAMESPACE = "namespace";
    public static final String WORKLOAD = "workload";
    public static final String POD = "pod";
    public static final String CONTAINER = "container";

    private Labels() {}
  }
}
