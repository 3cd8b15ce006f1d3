package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.alerts.notify.MessageParts.Fact;
import java.util.List;

/**
 * A Slack incoming-webhook message in Block Kit: a header, the summary, the facts as section fields,
 * the members, the last log lines in a code block, the links and the incident in a context block;
 * {@code text} is the notification fallback. Within Slack's published limits: 50 blocks, header
 * 150 characters, section text 3,000, 10 fields of 2,000 per section, 10 context elements, and
 * about 40,000 characters of text in all. Every text object is mrkdwn with {@code verbatim} set,
 * so Slack links no names or URLs by itself.
 */
final class SlackPayload implements PayloadRenderer {

  private static final int MAX_BLOCKS = 50;
  private static final int HEADER_TEXT = 150;
  private static final int SECTION_TEXT = 3000;
  private static final int FIELDS_PER_SECTION = 10;
  private static final int CONTEXT_ELEMENTS = 10;
  private static final int MESSAGE_TEXT = 40_000;

  private static final int FACTS = 20;
  private static final int FACT_NAME = 100;
  private static final int FACT_VALUE = 1000;
  private static final int LOG_LINE = 500;
  private static final int LINKS = CONTEXT_ELEMENTS - 1;
  private static final int MAX_URL = 2000;

  @Override
  public JsonNode render(Notification notification, Budget budget) {
    ObjectNode message = JsonNodeFactory.instance.objectNode();
    String headline = MessageParts.headline(notification);
    message.put("text", Text.fit(headline, Markup.SLACK, budget.chars(SECTION_TEXT)));
    ArrayNode blocks = message.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", Text.fit(headline, Markup.SLACK, HEADER_TEXT));
    if (!notification.summary().isEmpty()) {
      section(blocks, Text.fit(notification.summary(), Markup.SLACK, budget.chars(SECTION_TEXT)));
    }
    List<Fact> facts = MessageParts.facts(notification);
    List<Fact> shown = facts.subList(0, Math.min(facts.size(), budget.count(FACTS)));
    for (int from = 0; from < shown.size(); from += FIELDS_PER_SECTION) {
      ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
      for (Fact fact : shown.subList(from, Math.min(shown.size(), from + FIELDS_PER_SECTION))) {
        mrkdwn(fields.addObject(), "*" + Text.fit(fact.name(), Markup.SLACK, FACT_NAME) + "*\n"
            + Text.fit(fact.value(), Markup.SLACK, budget.chars(FACT_VALUE)));
      }
    }
    if (!notification.members().isEmpty()) {
      String heading = "*" + MessageParts.membersHeading(notification) + "*\n";
      section(blocks, heading + Text.tail(notification.members(), Markup.SLACK, LOG_LINE,
          budget.chars(SECTION_TEXT - heading.length())));
    }
    if (!notification.lastLogLines().isEmpty()) {
      String heading = "*Last log lines*\n```";
      section(blocks, heading + Text.tail(notification.lastLogLines(), Markup.SLACK, LOG_LINE,
          budget.chars(SECTION_TEXT - heading.length() - 3)) + "```");
    }
    ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
    for (Notification.Link link : Links.shown(notification, LINKS, MAX_URL)) {
      mrkdwn(context.addObject(), "<" + link.url().toASCIIString().replace("&", "&amp;") + "|"
          + Text.fit(link.name(), Markup.SLACK, 100) + ">");
    }
    int hidden = facts.size() - shown.size();
    mrkdwn(context.addObject(), "incident " + Text.fit(notification.fingerprint(), Markup.SLACK, 100)
        + (hidden > 0 ? " · " + hidden + " more fields not shown" : ""));
    return message;
  }

  @Override
  public boolean fits(JsonNode payload, String json) {
    return payload.path("blocks").size() <= MAX_BLOCKS && JsonText.totalText(payload) <= MESSAGE_TEXT;
  }

  private static void section(ArrayNode blocks, String text) {
    mrkdwn(blocks.addObject().put("type", "section").putObject("text"), text);
  }

  private static void mrkdwn(ObjectNode textObject, String text) {
    textObject.put("type", "mrkdwn").put("text", text).put("verbatim", true);
  }
}
