package io.kubeobserve.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void shortTextIsEscapedWhole() {
    assertThat(Text.fit("a <b> & c", Markup.SLACK, 100)).isEqualTo("a &lt;b&gt; &amp; c");
    assertThat(Text.fit("*x* [l](u) @here", Markup.MARKDOWN, 100)).isEqualTo("\\*x\\* \\[l\\](u) @\u200Bhere");
    assertThat(Text.fit("<users/all> & \"q\"", Markup.HTML, 100)).isEqualTo("&lt;users/all&gt; &amp; &quot;q&quot;");
  }

  @Test
  void longTextIsCutToItsBudgetWithAMarker() {
    String fitted = Text.fit("x".repeat(500), Markup.PLAIN, 100);

    assertThat(fitted).hasSize(100).endsWith(Text.TRUNCATED).startsWith("xxxx");
  }

  @Test
  void textOfExactlyTheBudgetIsNotCut() {
    assertThat(Text.fit("y".repeat(100), Markup.PLAIN, 100)).isEqualTo("y".repeat(100));
  }

  @Test
  void anEscapeIsNeverSplit() {
    String fitted = Text.fit("<".repeat(100), Markup.SLACK, 50);

    assertThat(fitted.length()).isLessThanOrEqualTo(50);
    assertThat(fitted.replace(Text.TRUNCATED, "")).matches("(&lt;)+");
  }

  @Test
  void aSurrogatePairIsNeverSplit() {
    String fitted = Text.fit("\uD83D\uDE00".repeat(100), Markup.PLAIN, 51);

    assertThat(fitted.replace(Text.TRUNCATED, "")).matches("(\uD83D\uDE00)+");
    assertThat(fitted.length()).isLessThanOrEqualTo(51);
  }

  @Test
  void controlCharactersAndLoneSurrogatesAreReplaced() {
    assertThat(Text.fit("a\u0000b\u001B[31mc\nd\te\uD800", Markup.PLAIN, 100)).isEqualTo("a b [31mc\nd\te\uFFFD");
  }

  @Test
  void megabyteLineCostsOnlyItsBudget() {
    String line = TestNotifications.megabyteLine();
    long started = System.nanoTime();
    String fitted = Text.fit(line, Markup.MARKDOWN, 3000);
    long micros = (System.nanoTime() - started) / 1000;

    assertThat(fitted).hasSizeLessThanOrEqualTo(3000).endsWith(Text.TRUNCATED);
    assertThat(micros).as("microseconds").isLessThan(200_000);
  }

  @Test
  void tailKeepsTheLastLinesAndSaysHowManyWereLeftOut() {
    List<String> lines = List.of("one", "two", "three", "four", "five");

    assertThat(Text.tail(lines, Markup.PLAIN, 100, 40)).isEqualTo("…(3 earlier lines left out)\nfour\nfive");
    assertThat(Text.tail(lines, Markup.PLAIN, 100, 1000)).isEqualTo("one\ntwo\nthree\nfour\nfive");
  }

  @Test
  void utf8LengthCountsBytes() {
    assertThat(Text.utf8Length("aé€\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4);
  }
}
