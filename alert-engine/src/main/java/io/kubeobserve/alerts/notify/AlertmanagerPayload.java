package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;

/**
 * A body for Alertmanager's {@code POST /api/v2/alerts}: one alert with the notification's labels
 * and annotations ({@link AlertFields}). A firing or updated incident is sent with {@code endsAt}
 * = now + {@code activeFor}: Alertmanager keeps it active that long, and every re-send (the
 * engine's repeat interval, which must be shorter) moves {@code endsAt} on, so the alert stays
 * active while the incident lasts and, should the engine vanish, resolves by itself {@code
 * activeFor} later. A resolved incident is sent with {@code endsAt} = its resolve time, which
 * resolves the alert at once.
 */
final class AlertmanagerPayload implements PayloadRenderer {

  private final Duration activeFor;
  private final Clock clock;

  AlertmanagerPayload(Duration activeFor, Clock clock) {
    this.activeFor = activeFor;
    this.clock = clock;
  }

  @Override
  public JsonNode render(Notification notification, Budget budget) {
    ArrayNode alerts = JsonNodeFactory.instance.arrayNode();
    ObjectNode alert = alerts.addObject();
    AlertFields.putAll(alert.putObject("labels"), AlertFields.labels(notification));
    AlertFields.putAll(alert.putObject("annotations"), AlertFields.annotations(notification));
    alert.put("startsAt", notification.startsAt().toString());
    alert.put("endsAt", (notification.kind() == Notification.Kind.RESOLVED
        ? notification.endsAt().orElse(clock.instant()) : clock.instant().plus(activeFor)).toString());
    if (!notification.links().isEmpty()) {
      alert.put("generatorURL", notification.links().get(0).url().toASCIIString());
    }
    return alerts;
  }

  @Override
  public boolean fits(JsonNode payload, String json) {
    return true;
  }
}
