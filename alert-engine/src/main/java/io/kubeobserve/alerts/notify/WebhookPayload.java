package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The generic webhook: exactly Alertmanager's webhook payload, version 4, so every tool that
 * takes Alertmanager's webhooks takes ours. One notification is one group of one alert: {@code
 * groupLabels} is its {@code alertname}, {@code groupKey} is built as Alertmanager builds it for a
 * root route, a firing alert's {@code endsAt} is Go's zero time as Alertmanager sends it, and
 * {@code externalURL} is empty (there is no Alertmanager to link back to).
 */
final class WebhookPayload implements PayloadRenderer {

  /** How Alertmanager writes "no end yet" (Go's zero {@code time.Time}). */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final String receiver;

  WebhookPayload(String receiver) {
    this.receiver = receiver;
  }

  @Override
  public JsonNode render(Notification notification, Budget budget) {
    String status = notification.kind() == Notification.Kind.RESOLVED ? "resolved" : "firing";
    Map<String, String> labels = AlertFields.labels(notification);
    Map<String, String> annotations = AlertFields.annotations(notification);
    Map<String, String> groupLabels = Map.of(Notification.Labels.ALERTNAME, labels.get(Notification.Labels.ALERTNAME));
    ObjectNode payload = JsonNodeFactory.instance.objectNode().put("receiver", receiver).put("status", status);
    ObjectNode alert = payload.putArray("alerts").addObject().put("status", status);
    AlertFields.putAll(alert.putObject("labels"), labels);
    AlertFields.putAll(alert.putObject("annotations"), annotations);
    alert.put("startsAt", notification.startsAt().toString())
        .put("endsAt", notification.kind() == Notification.Kind.RESOLVED
            ? notification.endsAt().map(Instant::toString).orElse(ZERO_TIME) : ZERO_TIME)
        .put("generatorURL", notification.links().isEmpty() ? "" : notification.links().get(0).url().toASCIIString())
        .put("fingerprint", notification.fingerprint());
    AlertFields.putAll(payload.putObject("groupLabels"), groupLabels);
    AlertFields.putAll(payload.putObject("commonLabels"), labels);
    AlertFields.putAll(payload.putObject("commonAnnotations"), annotations);
    payload.put("externalURL", "")
        .put("version", "4")
        .put("groupKey", "{}:{" + groupLabels.entrySet().stream()
            .map(label -> label.getKey() + "=\"" + label.getValue().replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
            .collect(Collectors.joining(", ")) + "}")
        .put("truncatedAlerts", 0);
    return payload;
  }

  @Override
  public boolean fits(JsonNode payload, String json) {
    return true;
  }
}
