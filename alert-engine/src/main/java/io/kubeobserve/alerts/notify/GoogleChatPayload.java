package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.alerts.notify.MessageParts.Fact;
import java.util.List;

/**
 * A Google Chat incoming-webhook message with one {@code cardsV2} card: a header (headline and
 * status), the summary, the facts as decoratedText widgets, the members and last log lines in
 * collapsible sections, and the links as buttons. Card text is Google Chat's small HTML subset, so
 * {@code & < > "} from the cluster are escaped (no tag, no {@code <users/all>}). Within the
 * published limits: 32,000 bytes per message, 4,096 characters per text, 100 widgets per card.
 */
final class GoogleChatPayload implements PayloadRenderer {

  private static final int MAX_MESSAGE_BYTES = 32_000;
  private static final int MAX_TEXT = 4096;

  private static final int TITLE = 200;
  private static final int SUMMARY = 3000;
  private static final int FACTS = 20;
  private static final int FACT_LABEL = 100;
  private static final int FACT_VALUE = 1000;
  private static final int MEMBERS = 3000;
  private static final int LOGS = MAX_TEXT;
  private static final int LOG_LINE = 500;
  private static final int LINKS = 5;
  private static final int MAX_URL = 2000;

  @Override
  public JsonNode render(Notification notification, Budget budget) {
    ObjectNode message = JsonNodeFactory.instance.objectNode();
    ObjectNode cardWithId = message.putArray("cardsV2").addObject()
        .put("cardId", "incident-" + Text.truncate(notification.fingerprint().replaceAll("[^A-Za-z0-9_-]", "_"), 64));
    ObjectNode card = cardWithId.putObject("card");
    card.putObject("header")
        .put("title", Text.fit(notification.title(), Markup.HTML, TITLE))
        .put("subtitle", MessageParts.state(notification));
    ArrayNode sections = card.putArray("sections");
    if (!notification.summary().isEmpty()) {
      paragraph(sections.addObject(), Text.fit(notification.summary(), Markup.HTML, budget.chars(SUMMARY)));
    }
    List<Fact> facts = MessageParts.facts(notification);
    ArrayNode details = sections.addObject().put("header", "Details").putArray("widgets");
    for (Fact fact : facts.subList(0, Math.min(facts.size(), budget.count(FACTS)))) {
      details.addObject().putObject("decoratedText")
          .put("topLabel", Text.fit(fact.name(), Markup.HTML, FACT_LABEL))
          .put("text", Text.fit(fact.value(), Markup.HTML, budget.chars(FACT_VALUE)))
          .put("wrapText", true);
    }
    if (!notification.members().isEmpty()) {
      ObjectNode section = sections.addObject().put("header", MessageParts.membersHeading(notification))
          .put("collapsible", true).put("uncollapsibleWidgetsCount", 0);
      paragraph(section, Text.tail(notification.members(), Markup.HTML, LOG_LINE, budget.chars(MEMBERS)));
    }
    if (!notification.lastLogLines().isEmpty()) {
      ObjectNode section = sections.addObject().put("header", "Last log lines")
          .put("collapsible", true).put("uncollapsibleWidgetsCount", 1);
      paragraph(section, Text.tail(notification.lastLogLines(), Markup.HTML, LOG_LINE, budget.chars(LOGS)));
    }
    List<Notification.Link> links = Links.shown(notification, LINKS, MAX_URL);
    if (!links.isEmpty()) {
      ArrayNode buttons = sections.addObject().putArray("widgets").addObject().putObject("buttonList")
          .putArray("buttons");
      for (Notification.Link link : links) {
        buttons.addObject().put("text", Text.fit(link.name(), Markup.HTML, 100))
            .putObject("onClick").putObject("openLink").put("url", link.url().toASCIIString());
      }
    }
    return message;
  }

  @Override
  public boolean fits(JsonNode payload, String json) {
    return Text.utf8Length(json) <= MAX_MESSAGE_BYTES;
  }

  private static void paragraph(ObjectNode section, String text) {
    section.withArray("widgets").addObject().putObject("textParagraph").put("text", text);
  }
}
