package io.kubeobserve.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeobserve.alerts.notify.ReceiverConfig.Type;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Names and log lines from the cluster can neither mention anyone, nor inject links or markup, in
 * any chat; a 1 MB log line is cut, and costs bounded time.
 */
class HostileContentTest {

  private static final Pattern UNESCAPED_MARKDOWN = Pattern.compile("(?<!\\\\)[*_~`|\\[\\]<>#]");
  private static final Pattern UNBROKEN_SLACK_MARKUP = Pattern.compile("(?<!\u200B)[*_~`]|[<>]");

  @ParameterizedTest
  @EnumSource(value = Type.class, names = {"SLACK", "TEAMS", "DISCORD", "GOOGLECHAT", "MATTERMOST"})
  void noMentionSurvives(Type type) {
    JsonNode payload = Payloads.render(type, TestNotifications.hostile());

    for (String text : Payloads.texts(payload)) {
      assertThat(text).doesNotContain("<!channel>", "<!here>", "<@123>", "@everyone", "@here", "@channel", "@all",
          "<users/all>");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Type.class, names = {"SLACK", "GOOGLECHAT"})
  void noLinkCanBeInjectedInAngleBracketSyntax(Type type) {
    JsonNode payload = Payloads.render(type, TestNotifications.hostile());

    for (String text : Payloads.texts(payload)) {
      assertThat(text).doesNotContain("<http://evil", "<a ");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Type.class, names = {"TEAMS", "DISCORD", "MATTERMOST"})
  void noLinkCanBeInjectedInMarkdownSyntax(Type type) {
    JsonNode payload = Payloads.render(type, TestNotifications.hostile());

    for (String text : Payloads.texts(payload)) {
      assertThat(text).doesNotContain("[x](http://evil)").doesNotContainPattern("(?<!\\\\)<http://evil");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Type.class, names = {"DISCORD", "MATTERMOST"})
  void markdownInTitlesIsEscaped(Type type) {
    JsonNode payload = Payloads.render(type, TestNotifications.hostile());
    String title = type == Type.DISCORD ? payload.at("/embeds/0/title").asText()
        : payload.at("/attachments/0/title").asText();

    assertThat(title).contains("\\*bold\\*", "\\[x\\](http://evil)");
    assertThat(UNESCAPED_MARKDOWN.matcher(title.replace(Text.TRUNCATED, "")).find()).as(title).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = Type.class, names = {"TEAMS"})
  void teamsShowsClusterTextOnlyInTextRunsWhichRenderNoMarkdown(Type type) {
    JsonNode body = Payloads.render(type, TestNotifications.hostile()).at("/attachments/0/content/body");

    for (JsonNode element : body) {
      if (element.path("type").asText().equals("TextBlock")) {
        assertThat(element.path("text").asText()).isIn("Members (40)", "Last log lines");
      } else {
        assertThat(element.path("type").asText()).isEqualTo("RichTextBlock");
      }
    }
    assertThat(body.at("/0/inlines/0/text").asText()).contains("*bold*", "[x]\u200B(http://evil)");
  }

  @ParameterizedTest
  @EnumSource(value = Type.class, names = {"SLACK"})
  void slackMarkupIsBroken(Type type) {
    JsonNode payload = Payloads.render(type, TestNotifications.hostile());
    String header = payload.at("/blocks/0/text/text").asText();
    String summary = payload.at("/blocks/1/text/text").asText();

    assertThat(summary).contains("&lt;!channel&gt;", "&amp;amp;", "\u200B*bold\u200B*");
    assertThat(UNBROKEN_SLACK_MARKUP.matcher(header).find()).as(header).isFalse();
    assertThat(UNBROKEN_SLACK_MARKUP.matcher(summary).find()).as(summary).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = Type.class, names = {"GOOGLECHAT"})
  void googleChatTextHasNoTag(Type type) {
    JsonNode payload = Payloads.render(type, TestNotifications.hostile());

    for (String text : Payloads.texts(payload)) {
      assertThat(text).doesNotContain("<", ">", "\"");
    }
  }

  @ParameterizedTest
  @EnumSource(Type.class)
  void megabyteLogLineIsCutQuickly(Type type) {
    long started = System.nanoTime();
    String json = Payloads.json(type, TestNotifications.hostile());
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(json.length()).isLessThan(256 * 1024);
    assertThat(json).contains(Text.TRUNCATED);
    assertThat(millis).as("render time in ms").isLessThan(2_000);
  }
}
