package io.kubeobserve.agent.logs;

/**
 * What one line of a container log file says, filled in place by {@link LineParser} so that no
 * object is allocated per line. The message is {@code message[messageStart, messageStart +
 * messageLength)}: the read buffer itself for CRI lines, the parser's scratch buffer for docker
 * lines (their JSON escapes undone), the raw line for unparsed ones.
 */
final class ParsedLine {

  /** How the line was understood. */
  enum Format {
    /** {@code <time> <stream> <P|F>[:tags] <message>}. */
    CRI,
    /** Docker json-file: {@code {"log":...,"stream":...,"time":...}}. */
    DOCKER,
    /** Neither: the raw bytes are the message, flagged unparsed. */
    UNPARSED
  }

  Format format;
  long timeNanos;
  LogStream stream;
  /** The runtime split this entry: the next line of the same stream continues it. */
  boolean continued;
  byte[] message;
  int messageStart;
  int messageLength;

  void unparsed(byte[] bytes, int start, int end) {
    format = Format.UNPARSED;
    timeNanos = Timestamps.INVALID;
    stream = null;
    continued = false;
    message = bytes;
    messageStart = start;
    messageLength = end - start;
  }
}
