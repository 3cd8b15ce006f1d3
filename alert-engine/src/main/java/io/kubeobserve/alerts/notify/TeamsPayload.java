package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.alerts.notify.MessageParts.Fact;
import java.util.List;

/**
 * A Microsoft Teams message for a Workflows ("When a Teams webhook request is received") webhook:
 * one Adaptive Card (version 1.4) attachment with the headline, the summary, the facts, the
 * members, the last log lines in monospace and one Action.OpenUrl per link. Text from the cluster
 * goes into RichTextBlock TextRuns, which render no markdown (unlike TextBlocks and FactSets), so
 * nothing in it can format or link; the whole payload stays under Teams' 28 KB message limit.
 */
final class TeamsPayload implements PayloadRenderer {

  private static final int MAX_PAYLOAD_BYTES = 28 * 1024;
  private static final String CARD_VERSION = "1.4";

  private static final int HEADLINE = 500;
  private static final int SUMMARY = 3000;
  private static final int FACTS = 20;
  private static final int FACT_NAME = 100;
  private static final int FACT_VALUE = 1000;
  private static final int MEMBERS = 3000;
  private static final int LOGS = 6000;
  private static final int LOG_LINE = 500;
  private static final int LINKS = 5;
  private static final int MAX_URL = 2000;

  @Override
  public JsonNode render(Notification notification, Budget budget) {
    ObjectNode message = JsonNodeFactory.instance.objectNode().put("type", "message");
    ObjectNode attachment = message.putArray("attachments").addObject()
        .put("contentType", "application/vnd.microsoft.card.adaptive");
    attachment.putNull("contentUrl");
    ObjectNode card = attachment.putObject("content")
        .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
        .put("type", "AdaptiveCard")
        .put("version", CARD_VERSION);
    ArrayNode body = card.putArray("body");
    textRun(richText(body), literal(MessageParts.headline(notification), HEADLINE))
        .put("weight", "Bolder").put("size", "Medium").put("color", color(notification));
    if (!notification.summary().isEmpty()) {
      textRun(richText(body), literal(notification.summary(), budget.chars(SUMMARY)));
    }
    List<Fact> facts = MessageParts.facts(notification);
    for (Fact fact : facts.subList(0, Math.min(facts.size(), budget.count(FACTS)))) {
      ArrayNode inlines = richText(body);
      textRun(inlines, literal(fact.name(), FACT_NAME) + ": ").put("weight", "Bolder");
      textRun(inlines, literal(fact.value(), budget.chars(FACT_VALUE)));
    }
    if (!notification.members().isEmpty()) {
      heading(body, MessageParts.membersHeading(notification));
      textRun(richText(body), Text.tail(notification.members(), Markup.LITERAL, LOG_LINE, budget.chars(MEMBERS)));
    }
    if (!notification.lastLogLines().isEmpty()) {
      heading(body, "Last log lines");
      textRun(richText(body), Text.tail(notification.lastLogLines(), Markup.LITERAL, LOG_LINE, budget.chars(LOGS)))
          .put("fontType", "Monospace");
    }
    textRun(richText(body), "incident " + literal(notification.fingerprint(), 100)).put("isSubtle", true)
        .put("size", "Small");
    List<Notification.Link> links = Links.shown(notification, LINKS, MAX_URL);
    if (!links.isEmpty()) {
      ArrayNode actions = card.putArray("actions");
      for (Notification.Link link : links) {
        actions.addObject().put("type", "Action.OpenUrl")
            .put("title", literal(link.name(), 100)).put("url", link.url().toASCIIString());
      }
    }
    return message;
  }

  @Override
  public boolean fits(JsonNode payload, String json) {
    return Text.utf8Length(json) <= MAX_PAYLOAD_BYTES;
  }

  private static String literal(String raw, int max) {
    return Text.fit(raw, Markup.LITERAL, max);
  }

  /** A RichTextBlock; returns its inlines. */
  private static ArrayNode richText(ArrayNode body) {
    return body.addObject().put("type", "RichTextBlock").putArray("inlines");
  }

  private static ObjectNode textRun(ArrayNode inlines, String text) {
    return inlines.addObject().put("type", "TextRun").put("text", text);
  }

  /** A heading of ours (no cluster text), as a bold TextBlock. */
  private static void heading(ArrayNode body, String text) {
    body.addObject().put("type", "TextBlock").put("text", text).put("weight", "Bolder").put("wrap", true);
  }

  private static String color(Notification notification) {
    if (notification.kind() == Notification.Kind.RESOLVED) {
      return "Good";
    }
    return notification.severity() == Notification.Severity.CRITICAL ? "Attention" : "Warning";
  }
}
