package io.kubeobserve.alerts.detect;

import io.kubeobserve.alerts.notify.Notification.Severity;
import java.util.List;
import java.util.Map;

/**
 * What a detector saw in one input record, keyed (in Kafka) by the node it concerns, so that
 * everything about one node is decided in one place.
 *
 * @param kind how the incident processor treats it
 * @param rule the rule ({@link Rules}), the notification's {@code alertname}
 * @param node the node it concerns
 * @param object what the incident is about: {@code namespace/pod/container}, {@code namespace/pod},
 *     the node, or a metric series; with the rule, the incident's fingerprint
 * @param occurrence the occurrence id: the same OOM kill or eviction reported by two producers has the same
 * @param member what is listed when occurrences fold into one incident ({@code shop/cart-7d9f}); empty for none
 * @param signalTimeMillis when it happened, as the signal says
 * @param severity how urgent
 * @param labels notification labels (cluster, node, namespace, workload, pod, container)
 * @param podLabels the pod's labels, for routing and silences ({@code label.<key>})
 * @param podAnnotations the pod's annotations the agent sends, for routing and silences ({@code annotation.<key>});
 *     none in observations written before annotations were carried
 * @param details facts shown as fields (reason, exit code, message, ...)
 * @param lastLogLines the container's last log lines, oldest first
 * @param value a metric sample's value (or ratio), for {@link Kind#SAMPLE}
 * @param forMillis for {@link Kind#SAMPLE}: how long the threshold must be breached before firing
 */
public record Observation(Kind kind, String rule, String node, String object, String occurrence, String member,
    long signalTimeMillis, Severity severity, Map<String, String> labels, Map<String, String> podLabels,
    Map<String, String> podAnnotations, Map<String, String> details, List<String> lastLogLines, double value,
    long forMillis) {

  public Observation {
    labels = Map.copyOf(labels);
    podLabels = Map.copyOf(podLabels);
    podAnnotations = podAnnotations == null ? Map.of() : Map.copyOf(podAnnotations);
    details = Map.copyOf(details);
    lastLogLines = List.copyOf(lastLogLines);
  }

  /** How an observation acts on incidents. */
  public enum Kind {
    /** One occurrence (OOM kill, eviction, back-off, kernel OOM): opens or updates; resolves after a quiet period. */
    OCCURRENCE,
    /** A node condition turned abnormal: opens until {@link #CONDITION_CLEARED}. */
    CONDITION_RAISED,
    /** A node condition turned normal: resolves. */
    CONDITION_CLEARED,
    /** The agent of a node is alive. */
    HEARTBEAT,
    /** A metric sample breaching a threshold rule ({@link #value()}); fires once breached for the rule's duration. */
    SAMPLE_BREACHED,
    /** A metric sample within its threshold rule: resolves. */
    SAMPLE_OK
  }
}
