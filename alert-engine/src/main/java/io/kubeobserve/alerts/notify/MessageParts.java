package io.kubeobserve.alerts.notify;

import io.kubeobserve.alerts.notify.Notification.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What every chat message says, apart from its markup: the headline, the facts shown as fields
 * (where first, then the details, then when), the colour. Values are raw; renderers escape them.
 */
final class MessageParts {

  /** One field: a name and its value. */
  record Fact(String name, String value) {}

  /** Labels shown first, in this order: where it happened. */
  private static final List<String> WHERE =
      List.of(Labels.CLUSTER, Labels.NODE, Labels.NAMESPACE, Labels.WORKLOAD, Labels.POD, Labels.CONTAINER);

  /** Labels the headline already says. */
  private static final Set<String> IN_HEADLINE = Set.of(Labels.ALERTNAME, Labels.SEVERITY);

  private MessageParts() {}

  /** {@code FIRING}, {@code UPDATED} or {@code RESOLVED}. */
  static String status(Notification notification) {
    return notification.kind().name();
  }

  /** The status and, unless resolved, the severity: "FIRING critical", "RESOLVED". */
  static String state(Notification notification) {
    return notification.kind() == Notification.Kind.RESOLVED ? status(notification)
        : status(notification) + " " + notification.severity().name().toLowerCase(Locale.ROOT);
  }

  /** One line: the {@link #state} and the title, as "FIRING critical · OOMKilled: shop/cart". */
  static String headline(Notification notification) {
    return state(notification) + " · " + notification.title();
  }

  /** The fields of a message: where (labels), the details, when it started and ended. */
  static List<Fact> facts(Notification notification) {
    List<Fact> facts = new ArrayList<>();
    Map<String, String> labels = notification.labels();
    for (String key : WHERE) {
      String value = labels.get(key);
      if (value != null && !value.isEmpty()) {
        facts.add(new Fact(displayName(key), value));
      }
    }
    labels.forEach((key, value) -> {
      if (!WHERE.contains(key) && !IN_HEADLINE.contains(key) && !value.isEmpty()) {
        facts.add(new Fact(key, value));
      }
    });
    notification.details().forEach((name, value) -> facts.add(new Fact(name, value)));
    facts.add(new Fact("Started", notification.startsAt().toString()));
    notification.endsAt().ifPresent(end -> facts.add(new Fact("Resolved", end.toString())));
    return facts;
  }

  /** The heading of the members list, such as "Members (30)". */
  static String membersHeading(Notification notification) {
    return "Members (" + notification.members().size() + ")";
  }

  /** Green when resolved, else red, orange or blue by severity, as 0xRRGGBB. */
  static int color(Notification notification) {
    if (notification.kind() == Notification.Kind.RESOLVED) {
      return 0x2EB67D;
    }
    return switch (notification.severity()) {
      case CRITICAL -> 0xE01E5A;
      case WARNING -> 0xECB22E;
      case INFO -> 0x36C5F0;
    };
  }

  /** {@link #color} as {@code #rrggbb}. */
  static String hexColor(Notification notification) {
    return String.format(Locale.ROOT, "#%06x", color(notification));
  }

  private static String displayName(String labelKey) {
    return Character.toUpperCase(labelKey.charAt(0)) + labelKey.substring(1);
  }
}
