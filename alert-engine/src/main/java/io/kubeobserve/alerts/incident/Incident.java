package io.kubeobserve.alerts.incident;

import io.kubeobserve.alerts.notify.Notification.Labels;
import io.kubeobserve.alerts.notify.Notification.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The state of one incident, as kept in the incident store and written to {@code k8s-alerts}.
 * Times are epoch milliseconds; "wall" times are the engine's clock, signal times the cluster's.
 *
 * @param fingerprint the incident's id: a hash of its rule and object
 * @param rule the rule, its {@code alertname}
 * @param node the node it concerns
 * @param object what it is about ({@code namespace/pod/container}, a node, a metric series)
 * @param severity how urgent
 * @param status pending (a threshold not yet breached long enough), firing or resolved
 * @param version incremented at each state change, part of its {@code log.record.uid} on {@code k8s-alerts}
 * @param startedAt signal time of its first occurrence
 * @param openedAt wall time it was opened
 * @param lastOccurrenceAt wall time of its latest occurrence (quiet-period resolves count from it)
 * @param endedAt wall time it resolved; 0 while open
 * @param occurrenceCount occurrences folded in, the first included
 * @param labels notification labels
 * @param podLabels the pod's labels, for routing and silences
 * @param podAnnotations the pod's annotations the agent sends, for routing and silences; none in
 *     incidents stored before annotations were carried
 * @param details facts shown as fields, the latest occurrence's
 * @param members what it folded in (evicted pods, restarts), oldest first, at most {@link #MAX_MEMBERS}
 * @param lastLogLines the container's last log lines, from the latest occurrence that had them
 * @param occurrences ids of the occurrences folded in (the newest {@link #MAX_OCCURRENCES}), to recognise duplicates
 * @param receivers where its FIRING message went, so UPDATED and RESOLVED follow
 * @param notified whether a FIRING message went out (only then does a RESOLVED one)
 * @param lastNotifiedAt wall time of its latest message
 * @param pendingUpdate occurrences were folded in since its latest message
 */
public record Incident(String fingerprint, String rule, String node, String object, Severity severity, Status status,
    int version, long startedAt, long openedAt, long lastOccurrenceAt, long endedAt, int occurrenceCount,
    Map<String, String> labels, Map<String, String> podLabels, Map<String, String> podAnnotations,
    Map<String, String> details, List<String> members,
    List<String> lastLogLines, List<String> occurrences, List<String> receivers, boolean notified,
    long lastNotifiedAt, boolean pendingUpdate) {

  /** Members listed at most; further ones are counted in {@link #occurrenceCount()}. */
  public static final int MAX_MEMBERS = 100;
  /** Occurrence ids remembered at most. */
  public static final int MAX_OCCURRENCES = 500;

  public Incident {
    labels = Map.copyOf(labels);
    podLabels = Map.copyOf(podLabels);
    podAnnotations = podAnnotations == null ? Map.of() : Map.copyOf(podAnnotations);
    details = Map.copyOf(details);
    members = List.copyOf(members);
    lastLogLines = List.copyOf(lastLogLines);
    occurrences = List.copyOf(occurrences);
    receivers = List.copyOf(receivers);
  }

  /** Where an incident is in its life. */
  public enum Status { PENDING, FIRING, RESOLVED }

  public boolean firing() {
    return status == Status.FIRING;
  }

  /**
   * The labels routes and silences match: the notification labels, {@code alertname},
   * {@code severity}, {@code label.<key>} for each pod label and {@code annotation.<key>} for each pod
   * annotation.
   */
  public Map<String, String> matchLabels() {
    Map<String, String> all = new LinkedHashMap<>(labels);
    all.put(Labels.ALERTNAME, rule);
    all.put(Labels.SEVERITY, severity.name().toLowerCase(Locale.ROOT));
    podLabels.forEach((key, value) -> all.put("label." + key, value));
    podAnnotations.forEach((key, value) -> all.put("annotation." + key, value));
    return all;
  }

  /** A copy to change. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes to an incident; {@link #build()} makes the new immutable state. */
  public static final class Builder {
    private final Incident from;
    private Status status;
    private int version;
    private long lastOccurrenceAt;
    private long endedAt;
    private int occurrenceCount;
    private final Map<String, String> details;
    private final List<String> members;
    private List<String> lastLogLines;
    private final List<String> occurrences;
    private List<String> receivers;
    private boolean notified;
    private long lastNotifiedAt;
    private boolean pendingUpdate;

    private Builder(Incident from) {
      this.from = from;
      this.status = from.status;
      this.version = from.version;
      this.lastOccurrenceAt = from.lastOccurrenceAt;
      this.endedAt = from.endedAt;
      this.occurrenceCount = from.occurrenceCount;
      this.details = new LinkedHashMap<>(from.details);
      this.members = new ArrayList<>(from.members);
      this.lastLogLines = from.lastLogLines;
      this.occurrences = new ArrayList<>(from.occurrences);
      this.receivers = from.receivers;
      this.notified = from.notified;
      this.lastNotifiedAt = from.lastNotifiedAt;
      this.pendingUpdate = from.pendingUpdate;
    }

    /** A new state: the version goes up. */
    public Builder status(Status value) {
      status = value;
      version++;
      return this;
    }

    /** The latest facts (a threshold rule's latest value). */
    public Builder details(Map<String, String> latest) {
      details.putAll(latest);
      return this;
    }

    public Builder ended(long wallMillis) {
      endedAt = wallMillis;
      return this;
    }

    /** A sample that still breaches while the incident is pending: it is not stale. */
    public Builder sampled(long wallMillis) {
      lastOccurrenceAt = wallMillis;
      return this;
    }

    /** Folds in one more occurrence: its id, member, details and log lines. */
    public Builder occurrence(String id, String member, Map<String, String> newDetails, List<String> lines,
        long wallMillis) {
      occurrenceCount++;
      lastOccurrenceAt = wallMillis;
      occurrences.add(id);
      if (occurrences.size() > MAX_OCCURRENCES) {
        occurrences.remove(0);
      }
      if (!member.isEmpty() && members.size() < MAX_MEMBERS) {
        members.add(member);
      }
      details.putAll(newDetails);
      if (!lines.isEmpty()) {
        lastLogLines = lines;
      }
      pendingUpdate = true;
      version++;
      return this;
    }

    /** Takes in what another incident folded in: its occurrences and members. */
    public Builder absorb(Incident other) {
      occurrenceCount += other.occurrenceCount;
      for (String id : other.occurrences) {
        occurrences.add(id);
        if (occurrences.size() > MAX_OCCURRENCES) {
          occurrences.remove(0);
        }
      }
      for (String member : other.members) {
        if (members.size() < MAX_MEMBERS) {
          members.add(member);
        }
      }
      version++;
      return this;
    }

    /** A message went out to these receivers. */
    public Builder notified(List<String> to, long wallMillis) {
      receivers = to;
      notified = true;
      lastNotifiedAt = wallMillis;
      pendingUpdate = false;
      return this;
    }

    public Incident build() {
      return new Incident(from.fingerprint, from.rule, from.node, from.object, from.severity, status, version,
          from.startedAt, from.openedAt, lastOccurrenceAt, endedAt, occurrenceCount, from.labels, from.podLabels,
          from.podAnnotations, details, members, lastLogLines, occurrences, receivers, notified, lastNotifiedAt,
          pendingUpdate);
    }
  }
}
