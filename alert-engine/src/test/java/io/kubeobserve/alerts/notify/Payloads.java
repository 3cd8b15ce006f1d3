package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeobserve.alerts.notify.ReceiverConfig.Type;
import io.kubeobserve.core.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Renders payloads as a receiver would send them, and reads the documented examples. */
final class Payloads {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T05:45:00Z"), ZoneOffset.UTC);
  /** Keys whose objects are maps of arbitrary keys (Alertmanager's label sets). */
  static final Set<String> MAPS = Set.of("labels", "annotations", "groupLabels", "commonLabels", "commonAnnotations");

  private Payloads() {}

  static ReceiverConfig receiver(Type type) {
    return new ReceiverConfig(type.name().toLowerCase(Locale.ROOT), type,
        Secret.of("https://hooks.example.com/services/T000/B000/SECRET"));
  }

  /** The JSON {@code notification} is sent as to a receiver of {@code type}. */
  static String json(Type type, Notification notification) {
    return RenderedNotifier.payload(Notifiers.renderer(receiver(type), CLOCK), notification);
  }

  static JsonNode render(Type type, Notification notification) {
    return parse(json(type, notification));
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The documented example payload of the service, from {@code fixtures/notify/}. */
  static JsonNode example(Type type) {
    String file = switch (type) {
      case SLACK -> "slack-webhook-blockkit.json";
      case TEAMS -> "teams-workflows-adaptive-card.json";
      case DISCORD -> "discord-execute-webhook.json";
      case GOOGLECHAT -> "googlechat-cardsv2.json";
      case MATTERMOST -> "mattermost-incoming-webhook.json";
      case WEBHOOK -> "alertmanager-webhook-v4.json";
      case ALERTMANAGER -> "alertmanager-api-v2-postable-alerts.json";
    };
    try (InputStream in = Payloads.class.getResourceAsStream("/fixtures/notify/" + file)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every string value in {@code node}, at any depth. */
  static List<String> texts(JsonNode node) {
    List<String> texts = new ArrayList<>();
    collect(node, texts);
    return texts;
  }

  private static void collect(JsonNode node, List<String> texts) {
    if (node.isTextual()) {
      texts.add(node.textValue());
    }
    node.forEach(child -> collect(child, texts));
  }
}
