package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.alerts.notify.MessageParts.Fact;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A Mattermost incoming-webhook post: the headline as {@code text} and one Slack-compatible
 * attachment (colour, title, summary with members and last log lines, the facts as short fields,
 * the links, the incident in the footer), optionally to another channel or under another name.
 * Markdown in text from the cluster is escaped and {@code @channel}, {@code @all}, {@code @here}
 * broken; the whole post stays within Mattermost's 16,383 characters.
 */
final class MattermostPayload implements PayloadRenderer {

  private static final int MAX_POST = 16_383;

  private static final int HEADLINE = 500;
  private static final int SUMMARY = 3000;
  private static final int FACTS = 20;
  private static final int FACT_TITLE = 100;
  private static final int FACT_VALUE = 500;
  private static final int MEMBERS = 2000;
  private static final int LOGS = 4000;
  private static final int LOG_LINE = 300;
  private static final int LINKS = 5;
  private static final int MAX_URL = 1000;

  private final Optional<String> channel;
  private final Optional<String> username;

  MattermostPayload(Optional<String> channel, Optional<String> username) {
    this.channel = channel;
    this.username = username;
  }

  @Override
  public JsonNode render(Notification notification, Budget budget) {
    ObjectNode post = JsonNodeFactory.instance.objectNode();
    String headline = Text.fit(MessageParts.headline(notification), Markup.MARKDOWN, HEADLINE);
    post.put("text", headline);
    channel.ifPresent(name -> post.put("channel", name));
    username.ifPresent(name -> post.put("username", name));
    ObjectNode attachment = post.putArray("attachments").addObject()
        .put("fallback", headline)
        .put("color", MessageParts.hexColor(notification))
        .put("title", Text.fit(notification.title(), Markup.MARKDOWN, HEADLINE))
        .put("text", text(notification, budget));
    ArrayNode fields = attachment.putArray("fields");
    List<Fact> facts = MessageParts.facts(notification);
    for (Fact fact : facts.subList(0, Math.min(facts.size(), budget.count(FACTS)))) {
      fields.addObject().put("short", true)
          .put("title", Text.fit(fact.name(), Markup.MARKDOWN, FACT_TITLE))
          .put("value", Text.fit(fact.value(), Markup.MARKDOWN, budget.chars(FACT_VALUE)));
    }
    String links = Links.shown(notification, LINKS, MAX_URL).stream()
        .map(link -> Links.markdown(link, 100)).collect(Collectors.joining(" · "));
    if (!links.isEmpty()) {
      fields.addObject().put("short", false).put("title", "Links").put("value", links);
    }
    attachment.put("footer", "incident " + Text.fit(notification.fingerprint(), Markup.MARKDOWN, 200))
        .put("ts", notification.endsAt().orElse(notification.startsAt()).getEpochSecond());
    return post;
  }

  @Override
  public boolean fits(JsonNode payload, String json) {
    return JsonText.totalText(payload) <= MAX_POST;
  }

  private static String text(Notification notification, Budget budget) {
    StringBuilder text = new StringBuilder(Text.fit(notification.summary(), Markup.MARKDOWN, budget.chars(SUMMARY)));
    if (!notification.members().isEmpty()) {
      text.append("\n\n**").append(MessageParts.membersHeading(notification)).append("**\n")
          .append(Text.tail(notification.members(), Markup.MARKDOWN, LOG_LINE, budget.chars(MEMBERS)));
    }
    if (!notification.lastLogLines().isEmpty()) {
      text.append("\n\n**Last log lines**\n```\n")
          .append(Text.tail(notification.lastLogLines(), Markup.LITERAL, LOG_LINE, budget.chars(LOGS)))
          .append("\n```");
    }
    return text.toString();
  }
}
