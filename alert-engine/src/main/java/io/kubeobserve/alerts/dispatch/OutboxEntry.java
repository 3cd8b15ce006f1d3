package io.kubeobserve.alerts.dispatch;

import io.kubeobserve.alerts.notify.Notification;
import io.kubeobserve.alerts.notify.Notification.Kind;
import io.kubeobserve.alerts.notify.Notification.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One message to send to one receiver, as the incident processor decided it: a record of the
 * outbox topic, keyed by incident fingerprint (so one incident's messages stay in order).
 *
 * @param id {@code <fingerprint>:<version>:<kind>:<receiver>}, for logs
 * @param receiver the receiver's name
 * @param measureLatency a first FIRING message: its delivery is timed from the signal
 * @param fingerprint see {@link Notification}; the remaining components mirror it with plain types
 */
public record OutboxEntry(String id, String receiver, boolean measureLatency, String fingerprint, Kind kind,
    String rule, Severity severity, String title, String summary, Map<String, String> labels,
    Map<String, String> details, long startsAtMillis, long endsAtMillis, List<String> members,
    List<String> lastLogLines, List<LinkEntry> links) {

  /** A link of {@link Notification#links()}. */
  public record LinkEntry(String name, String url) {}

  public static OutboxEntry of(String id, String receiver, boolean measureLatency, Notification n) {
    return new OutboxEntry(id, receiver, measureLatency, n.fingerprint(), n.kind(), n.rule(), n.severity(), n.title(),
        n.summary(), n.labels(), n.details(), n.startsAt().toEpochMilli(),
        n.endsAt().map(Instant::toEpochMilli).orElse(0L), n.members(), n.lastLogLines(),
        n.links().stream().map(link -> new LinkEntry(link.name(), link.url().toString())).toList());
  }

  public Notification notification() {
    return new Notification(fingerprint, kind, rule, severity, title, summary, labels, details,
        Instant.ofEpochMilli(startsAtMillis),
        endsAtMillis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(endsAtMillis)), members, lastLogLines,
        links.stream().map(link -> new Notification.Link(link.name(), URI.create(link.url()))).toList());
  }
}
