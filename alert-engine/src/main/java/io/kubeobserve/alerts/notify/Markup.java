package io.kubeobserve.alerts.notify;

/**
 * How text from the cluster is made inert in one service's markup dialect: each code point is
 * written either as itself or as an escaped form, so that names and log lines can neither mention
 * people ({@code <!channel>}, {@code @everyone}, {@code <users/all>}) nor inject links or formatting.
 * {@link Text#fit} applies a dialect and truncates in one bounded pass.
 */
enum Markup {

  /** As is: JSON payloads read by programs (the generic webhook, Alertmanager). */
  PLAIN {
    @Override
    void append(StringBuilder out, int codePoint) {
      out.appendCodePoint(codePoint);
    }
  },

  /**
   * Slack mrkdwn (and its plain_text): {@code & < >} as the entities Slack's docs require, which
   * disarms {@code <!channel>}, {@code <@U..>} and {@code <url|text>}; a zero-width space before
   * {@code * _ ~ `} so no bold, italic, strike or code span (or code fence) can start or end; a
   * zero-width space after {@code @} so no {@code @channel} or {@code @here} is ever read as one.
   */
  SLACK {
    @Override
    void append(StringBuilder out, int codePoint) {
      switch (codePoint) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '*', '_', '~', '`' -> out.append(ZERO_WIDTH_SPACE).appendCodePoint(codePoint);
        case '@' -> out.append('@').append(ZERO_WIDTH_SPACE);
        default -> out.appendCodePoint(codePoint);
      }
    }
  },

  /**
   * CommonMark-style markdown (Discord, Mattermost): a backslash before every
   * character that starts formatting, a quote, a heading, a spoiler, a custom mention ({@code
   * <@123>}, {@code ~channel}) or a link or image (their brackets: {@code \[x\](url)} is no link); a zero-width space after {@code @} so {@code @everyone},
   * {@code @here}, {@code @channel} and {@code @all} are no mentions.
   */
  MARKDOWN {
    @Override
    void append(StringBuilder out, int codePoint) {
      switch (codePoint) {
        case '\\', '*', '_', '~', '`', '|', '>', '<', '#', '[', ']' ->
            out.append('\\').appendCodePoint(codePoint);
        case '@' -> out.append('@').append(ZERO_WIDTH_SPACE);
        default -> out.appendCodePoint(codePoint);
      }
    }
  },

  /**
   * Text shown as it is, where a backslash would show too (a markdown code block, a Teams TextRun,
   * a button title): a zero-width space after each backtick so no fence can close a code block,
   * after {@code @} and {@code <} so nothing mentions anyone, and after {@code ]} so no {@code
   * [text](url)} link can form.
   */
  LITERAL {
    @Override
    void append(StringBuilder out, int codePoint) {
      switch (codePoint) {
        case '`', '@', '<', ']' -> out.appendCodePoint(codePoint).append(ZERO_WIDTH_SPACE);
        default -> out.appendCodePoint(codePoint);
      }
    }
  },

  /**
   * The HTML subset of Google Chat cards: {@code & < > "} as entities, so no tag (nor {@code
   * <users/all>}); a zero-width space after {@code @}.
   */
  HTML {
    @Override
    void append(StringBuilder out, int codePoint) {
      switch (codePoint) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '@' -> out.append('@').append(ZERO_WIDTH_SPACE);
        default -> out.appendCodePoint(codePoint);
      }
    }
  };

  static final char ZERO_WIDTH_SPACE = '\u200B';

  /** Writes one code point of raw text, escaped for this dialect. */
  abstract void append(StringBuilder out, int codePoint);
}
