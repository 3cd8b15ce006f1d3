package io.kubeobserve.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeobserve.alerts.notify.Notification.Kind;
import io.kubeobserve.alerts.notify.ReceiverConfig.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each service's payload has the structure of the example in its documentation (the same keys
 * and types, nothing the service does not know) and respects every published limit, for a firing,
 * a resolved and a hostile notification.
 */
class PayloadFormatTest {

  static Stream<Arguments> payloads() {
    List<Arguments> arguments = new ArrayList<>();
    for (Type type : Type.values()) {
      arguments.add(Arguments.of(type, "firing", TestNotifications.oomKill(Kind.FIRING)));
      arguments.add(Arguments.of(type, "resolved", TestNotifications.oomKill(Kind.RESOLVED)));
      arguments.add(Arguments.of(type, "hostile", TestNotifications.hostile()));
    }
    return arguments.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("payloads")
  void payloadHasTheStructureOfTheDocumentedExample(Type type, String name, Notification notification) {
    JsonNode payload = Payloads.render(type, notification);

    assertThat(JsonShape.of(payload, Payloads.MAPS)).isSubsetOf(JsonShape.of(Payloads.example(type), Payloads.MAPS));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("payloads")
  void payloadRespectsThePublishedLimits(Type type, String name, Notification notification) {
    String json = Payloads.json(type, notification);
    JsonNode payload = Payloads.parse(json);
    switch (type) {
      case SLACK -> slackLimits(payload);
      case TEAMS -> teamsLimits(payload, json);
      case DISCORD -> discordLimits(payload);
      case GOOGLECHAT -> googleChatLimits(payload, json);
      case MATTERMOST -> assertThat(Payloads.texts(payload).stream().mapToInt(String::length).sum()).isLessThanOrEqualTo(16_383);
      case WEBHOOK, ALERTMANAGER -> assertThat(json.length()).isLessThan(256 * 1024);
    }
  }

  @Test
  void webhookHasExactlyTheKeysOfAlertmanagerVersion4() {
    JsonNode payload = Payloads.render(Type.WEBHOOK, TestNotifications.oomKill(Kind.FIRING));

    assertThat(JsonShape.of(payload, Payloads.MAPS))
        .isEqualTo(JsonShape.of(Payloads.example(Type.WEBHOOK), Payloads.MAPS));
    assertThat(payload.path("version").asText()).isEqualTo("4");
    assertThat(payload.path("receiver").asText()).isEqualTo("webhook");
    assertThat(payload.path("groupKey").asText()).isEqualTo("{}:{alertname=\"OOMKilled\"}");
    JsonNode alert = payload.path("alerts").path(0);
    assertThat(alert.path("labels").path("pod").asText()).isEqualTo("cart-7d9f-x2k4q");
    assertThat(alert.path("annotations").path("exit_code").asText()).isEqualTo("137");
    assertThat(alert.path("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(alert.path("fingerprint").asText()).isEqualTo("oom-3f2a9c");
  }

  @Test
  void resolvedWebhookCarriesTheResolveTime() {
    JsonNode payload = Payloads.render(Type.WEBHOOK, TestNotifications.oomKill(Kind.RESOLVED));

    assertThat(payload.path("status").asText()).isEqualTo("resolved");
    assertThat(payload.path("alerts").path(0).path("endsAt").asText()).isEqualTo("2026-11-22T05:50:00Z");
  }

  @Test
  void alertmanagerAlertStaysActiveForActiveForAndEndsWhenResolved() {
    JsonNode firing = Payloads.render(Type.ALERTMANAGER, TestNotifications.oomKill(Kind.FIRING)).path(0);
    JsonNode resolved = Payloads.render(Type.ALERTMANAGER, TestNotifications.oomKill(Kind.RESOLVED)).path(0);

    assertThat(firing.path("endsAt").asText()).isEqualTo("2026-11-22T11:45:00Z");
    assertThat(resolved.path("endsAt").asText()).isEqualTo("2026-11-22T05:50:00Z");
    assertThat(firing.path("labels").path("alertname").asText()).isEqualTo("OOMKilled");
    assertThat(firing.path("generatorURL").asText()).startsWith("https://kibana.example.com/");
  }

  @Test
  void slackMessageShowsWhatWhereAndTheLastLines() {
    JsonNode blocks = Payloads.render(Type.SLACK, TestNotifications.oomKill(Kind.FIRING)).path("blocks");

    assertThat(blocks.path(0).path("text").path("text").asText())
        .isEqualTo("FIRING critical · OOMKilled: shop/cart-7d9f-x2k4q/cart");
    assertThat(Payloads.texts(blocks)).contains("*Namespace*\nshop", "*Exit code*\n137",
        "<https://kibana.example.com/app/discover#/?q=pod:cart|Logs>");
    assertThat(String.join("\n", Payloads.texts(blocks))).contains("java.lang.OutOfMemoryError: Java heap space");
  }

  @Test
  void discordNeverPingsAnyone() {
    JsonNode payload = Payloads.render(Type.DISCORD, TestNotifications.hostile());

    assertThat(payload.path("allowed_mentions").path("parse").isArray()).isTrue();
    assertThat(payload.path("allowed_mentions").path("parse")).isEmpty();
  }

  private static void slackLimits(JsonNode payload) {
    JsonNode blocks = payload.path("blocks");
    assertThat(blocks.size()).isLessThanOrEqualTo(50);
    for (JsonNode block : blocks) {
      switch (block.path("type").asText()) {
        case "header" -> assertThat(block.path("text").path("text").asText().length()).isLessThanOrEqualTo(150);
        case "section" -> {
          assertThat(block.path("text").path("text").asText().length()).isLessThanOrEqualTo(3000);
          assertThat(block.path("fields").size()).isLessThanOrEqualTo(10);
          block.path("fields").forEach(field -> assertThat(field.path("text").asText().length()).isLessThanOrEqualTo(2000));
        }
        case "context" -> assertThat(block.path("elements").size()).isBetween(1, 10);
        default -> throw new AssertionError("unexpected block " + block);
      }
    }
    assertThat(Payloads.texts(payload).stream().mapToInt(String::length).sum()).isLessThanOrEqualTo(40_000);
  }

  private static void teamsLimits(JsonNode payload, String json) {
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(28 * 1024);
    JsonNode attachment = payload.path("attachments").path(0);
    assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
    assertThat(attachment.path("content").path("version").asText()).isIn("1.4", "1.5");
  }

  private static void discordLimits(JsonNode payload) {
    assertThat(payload.path("content").asText().length()).isLessThanOrEqualTo(2000);
    assertThat(payload.path("embeds").size()).isBetween(1, 10);
    int total = 0;
    for (JsonNode embed : payload.path("embeds")) {
      assertThat(embed.path("title").asText().length()).isLessThanOrEqualTo(256);
      assertThat(embed.path("description").asText().length()).isLessThanOrEqualTo(4096);
      assertThat(embed.path("footer").path("text").asText().length()).isLessThanOrEqualTo(2048);
      assertThat(embed.path("fields").size()).isLessThanOrEqualTo(25);
      total += embed.path("title").asText().length() + embed.path("description").asText().length()
          + embed.path("footer").path("text").asText().length();
      for (JsonNode field : embed.path("fields")) {
        assertThat(field.path("name").asText().length()).isBetween(1, 256);
        assertThat(field.path("value").asText().length()).isBetween(1, 1024);
        total += field.path("name").asText().length() + field.path("value").asText().length();
      }
    }
    assertThat(total).isLessThanOrEqualTo(6000);
  }

  private static void googleChatLimits(JsonNode payload, String json) {
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(32_000);
    int widgets = 0;
    for (JsonNode section : payload.path("cardsV2").path(0).path("card").path("sections")) {
      widgets += section.path("widgets").size();
      for (JsonNode widget : section.path("widgets")) {
        assertThat(widget.path("textParagraph").path("text").asText().length()).isLessThanOrEqualTo(4096);
        assertThat(widget.path("decoratedText").path("text").asText().length()).isLessThanOrEqualTo(4096);
      }
    }
    assertThat(widgets).isBetween(1, 100);
  }
}
