package io.kubeobserve.agent.kubelet;

/**
 * An exposition that breaks the Prometheus text format, with the line where it does. The message
 * reads {@code line 12: <what is wrong>: <the line, shortened>}.
 */
public final class ExpositionFormatException extends Exception {

  private static final int MAX_QUOTED = 200;

  private final int line;

  ExpositionFormatException(int line, String problem, String text) {
    super("line " + line + ": " + problem + (text == null ? "" : ": " + quote(text)));
    this.line = line;
  }

  /** The line number, from 1. */
  public int line() {
    return line;
  }

  private static String quote(String text) {
    String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
    return "'" + shown + "'";
  }
}
