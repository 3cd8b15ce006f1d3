package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.alerts.notify.MessageParts.Fact;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Discord "Execute Webhook" body: the headline as {@code content}, one embed (summary, members
 * and last log lines in the description, the facts and links as fields, the incident in the footer)
 * and {@code allowed_mentions: {"parse": []}}, so nothing in it can ping anyone. Markdown in text
 * from the cluster is escaped. Within Discord's limits: content 2,000, title 256, description
 * 4,096, 25 fields of name 256 and value 1,024, footer 2,048, 6,000 characters across embeds, 10
 * embeds.
 */
final class DiscordPayload implements PayloadRenderer {

  private static final int CONTENT = 2000;
  private static final int TITLE = 256;
  private static final int FIELDS = 25;
  private static final int EMBEDS_TOTAL = 6000;

  private static final int SUMMARY = 1500;
  private static final int MEMBERS = 800;
  private static final int LOGS = 1600;
  private static final int LOG_LINE = 300;
  private static final int FACTS = FIELDS - 1;
  private static final int FACT_NAME = 100;
  private static final int FACT_VALUE = 500;
  private static final int LINKS = 5;
  private static final int MAX_URL = 150;

  @Override
  public JsonNode render(Notification notification, Budget budget) {
    ObjectNode message = JsonNodeFactory.instance.objectNode();
    String headline = MessageParts.headline(notification);
    message.put("content", Text.fit(headline, Markup.MARKDOWN, budget.chars(CONTENT / 4)));
    message.putObject("allowed_mentions").putArray("parse");
    ObjectNode embed = message.putArray("embeds").addObject()
        .put("title", Text.fit(notification.title(), Markup.MARKDOWN, TITLE))
        .put("description", description(notification, budget))
        .put("color", MessageParts.color(notification))
        .put("timestamp", notification.endsAt().orElse(notification.startsAt()).toString());
    ArrayNode fields = embed.putArray("fields");
    List<Fact> facts = MessageParts.facts(notification);
    for (Fact fact : facts.subList(0, Math.min(facts.size(), budget.count(FACTS)))) {
      fields.addObject()
          .put("name", Text.fit(fact.name(), Markup.MARKDOWN, FACT_NAME))
          .put("value", Text.fit(fact.value(), Markup.MARKDOWN, budget.chars(FACT_VALUE)))
          .put("inline", true);
    }
    String links = Links.shown(notification, LINKS, MAX_URL).stream()
        .map(link -> Links.markdown(link, 30)).collect(Collectors.joining(" · "));
    if (!links.isEmpty()) {
      fields.addObject().put("name", "Links").put("value", links).put("inline", false);
    }
    embed.putObject("footer").put("text", "incident " + Text.fit(notification.fingerprint(), Markup.MARKDOWN, 200));
    return message;
  }

  @Override
  public boolean fits(JsonNode payload, String json) {
    int total = 0;
    for (JsonNode embed : payload.path("embeds")) {
      total += embed.path("title").asText().length() + embed.path("description").asText().length()
          + embed.path("footer").path("text").asText().length();
      for (JsonNode field : embed.path("fields")) {
        total += field.path("name").asText().length() + field.path("value").asText().length();
      }
    }
    return total <= EMBEDS_TOTAL;
  }

  private static String description(Notification notification, Budget budget) {
    StringBuilder description = new StringBuilder(
        Text.fit(notification.summary(), Markup.MARKDOWN, budget.chars(SUMMARY)));
    if (!notification.members().isEmpty()) {
      description.append("\n\n**").append(MessageParts.membersHeading(notification)).append("**\n")
          .append(Text.tail(notification.members(), Markup.MARKDOWN, LOG_LINE, budget.chars(MEMBERS)));
    }
    if (!notification.lastLogLines().isEmpty()) {
      description.append("\n\n**Last log lines**\n```\n")
          .append(Text.tail(notification.lastLogLines(), Markup.LITERAL, LOG_LINE, budget.chars(LOGS)))
          .append("\n```");
    }
    return description.toString();
  }
}
