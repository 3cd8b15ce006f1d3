package io.kubeobserve.alerts.notify;

import java.util.List;

/**
 * Escaping and truncation of text from the cluster, in one bounded pass: the output never exceeds
 * its budget (in UTF-16 units, which is what the services' character limits count or exceed), a
 * cut is marked with {@value #TRUNCATED}, a code point or an escape sequence is never split, and a
 * 1 MB log line costs no more than its budget. Control characters other than newline and tab
 * become spaces and lone surrogates become U+FFFD, so every payload is valid UTF-8.
 */
final class Text {

  /** Appended where text was cut. */
  static final String TRUNCATED = "…(truncated)";

  /** The smallest budget {@link #fit} accepts: room for the marker and a few characters. */
  static final int MIN_BUDGET = TRUNCATED.length() + 8;

  private Text() {}

  /** {@code raw} escaped for {@code markup}, at most {@code max} characters. */
  static String fit(String raw, Markup markup, int max) {
    if (max < MIN_BUDGET) {
      throw new IllegalArgumentException("budget " + max + " is below " + MIN_BUDGET);
    }
    int room = max - TRUNCATED.length();
    StringBuilder out = new StringBuilder(Math.min(raw.length() + 16, max + 16));
    int cut = -1;
    for (int i = 0; i < raw.length(); ) {
      int codePoint = raw.codePointAt(i);
      i += Character.charCount(codePoint);
      int before = out.length();
      markup.append(out, clean(codePoint));
      if (cut < 0 && out.length() > room) {
        cut = before;
      }
      if (out.length() > max) {
        out.setLength(cut);
        return out.append(TRUNCATED).toString();
      }
    }
    return out.toString();
  }

  /** {@code raw} cut to at most {@code max} characters, unescaped. */
  static String truncate(String raw, int max) {
    return fit(raw, Markup.PLAIN, max);
  }

  /**
   * The last lines of {@code lines} that fit in {@code max} characters, each escaped and cut to
   * {@code lineMax}, joined with newlines; a first line says how many earlier lines were left out.
   */
  static String tail(List<String> lines, Markup markup, int lineMax, int max) {
    StringBuilder joined = new StringBuilder();
    int kept = 0;
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = fit(lines.get(i), markup, Math.max(MIN_BUDGET, Math.min(lineMax, max)));
      int omitted = i;
      int reserve = omitted > 0 ? omittedNote(omitted).length() + 1 : 0;
      if (joined.length() + line.length() + 1 + reserve > max) {
        break;
      }
      joined.insert(0, kept++ > 0 ? line + "\n" : line);
    }
    int omitted = lines.size() - kept;
    if (omitted > 0) {
      joined.insert(0, kept > 0 ? omittedNote(omitted) + "\n" : omittedNote(omitted));
    }
    return joined.toString();
  }

  private static String omittedNote(int omitted) {
    return "…(" + omitted + " earlier line" + (omitted == 1 ? "" : "s") + " left out)";
  }

  /** The size of {@code text} in UTF-8, without encoding it. */
  static int utf8Length(CharSequence text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static int clean(int codePoint) {
    if (codePoint == '\n' || codePoint == '\t') {
      return codePoint;
    }
    if (Character.isISOControl(codePoint)) {
      return ' ';
    }
    return Character.getType(codePoint) == Character.SURROGATE ? '\uFFFD' : codePoint;
  }
}
