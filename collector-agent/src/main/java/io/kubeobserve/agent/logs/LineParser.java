package io.kubeobserve.agent.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses one line of a container log file (without its newline), detecting the format per line:
 * a line starting with <code>{</code> is tried as docker json-file, any other as CRI. A line that is
 * neither is {@link ParsedLine.Format#UNPARSED}. Not thread-safe: one per reader.
 *
 * <p>CRI: {@code <RFC3339Nano> <stdout|stderr> <P|F>[:tags] <message>}; exactly one space separates
 * the tag from the message, which is kept as written (leading spaces included, as {@code kubectl
 * logs} shows it). Docker: {@code log} (its trailing newline removed; without one, the entry is
 * {@link ParsedLine#continued continued} by the next line of the stream), {@code stream}, {@code
 * time}, all three required; other fields ({@code attrs}) are ignored.
 */
final class LineParser {

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
      .build();
  private static final byte[] STDOUT = "stdout".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STDERR = "stderr".getBytes(StandardCharsets.US_ASCII);

  private byte[] scratch = new byte[4096];

  /** Fills {@code out} from {@code bytes[start, end)}. */
  void parse(byte[] bytes, int start, int end, ParsedLine out) {
    if (end > start && bytes[start] == '{') {
      if (!parseDocker(bytes, start, end, out)) {
        out.unparsed(bytes, start, end);
      }
    } else if (!parseCri(bytes, start, end, out)) {
      out.unparsed(bytes, start, end);
    }
  }

  private static boolean parseCri(byte[] bytes, int start, int end, ParsedLine out) {
    int timeEnd = indexOf(bytes, start, end, (byte) ' ');
    if (timeEnd < 0) {
      return false;
    }
    int streamEnd = indexOf(bytes, timeEnd + 1, end, (byte) ' ');
    if (streamEnd < 0) {
      return false;
    }
    LogStream stream = stream(bytes, timeEnd + 1, streamEnd);
    if (stream == null) {
      return false;
    }
    int tagEnd = indexOf(bytes, streamEnd + 1, end, (byte) ' ');
    int tagStop = tagEnd < 0 ? end : tagEnd;
    if (tagStop == streamEnd + 1) {
      return false;
    }
    byte tag = bytes[streamEnd + 1];
    if ((tag != 'P' && tag != 'F') || (tagStop > streamEnd + 2 && bytes[streamEnd + 2] != ':')) {
      return false;
    }
    long time = Timestamps.parse(bytes, start, timeEnd);
    if (time == Timestamps.INVALID) {
      return false;
    }
    out.format = ParsedLine.Format.CRI;
    out.timeNanos = time;
    out.stream = stream;
    out.continued = tag == 'P';
    out.message = bytes;
    out.messageStart = tagEnd < 0 ? end : tagEnd + 1;
    out.messageLength = end - out.messageStart;
    return true;
  }

  private static LogStream stream(byte[] bytes, int start, int end) {
    if (Arrays.equals(bytes, start, end, STDOUT, 0, STDOUT.length)) {
      return LogStream.STDOUT;
    }
    if (Arrays.equals(bytes, start, end, STDERR, 0, STDERR.length)) {
      return LogStream.STDERR;
    }
    return null;
  }

  private boolean parseDocker(byte[] bytes, int start, int end, ParsedLine out) {
    int logLength = -1;
    LogStream stream = null;
    long time = Timestamps.INVALID;
    try (JsonParser json = JSON.createParser(bytes, start, end - start)) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      JsonToken token;
      while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
        String field = json.currentName();
        JsonToken value = json.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          json.skipChildren();
        } else if (value == JsonToken.VALUE_STRING) {
          switch (field) {
            case "log" -> logLength = copyUtf8(json);
            case "stream" -> {
              byte[] text = json.getText().getBytes(StandardCharsets.US_ASCII);
              stream = stream(text, 0, text.length);
            }
            case "time" -> {
              byte[] text = json.getText().getBytes(StandardCharsets.US_ASCII);
              time = Timestamps.parse(text, 0, text.length);
            }
            default -> { }
          }
        } else if (field.equals("log") || field.equals("stream") || field.equals("time")) {
          return false;
        }
      }
      if (token != JsonToken.END_OBJECT || json.nextToken() != null) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    if (logLength < 0 || stream == null || time == Timestamps.INVALID) {
      return false;
    }
    boolean terminated = logLength > 0 && scratch[logLength - 1] == '\n';
    out.format = ParsedLine.Format.DOCKER;
    out.timeNanos = time;
    out.stream = stream;
    out.continued = !terminated;
    out.message = scratch;
    out.messageStart = 0;
    out.messageLength = terminated ? logLength - 1 : logLength;
    return true;
  }

  /** The current string value as UTF-8 into {@link #scratch}; its length. */
  private int copyUtf8(JsonParser json) throws IOException {
    byte[] encoded = json.getText().getBytes(StandardCharsets.UTF_8);
    if (encoded.length > scratch.length) {
      scratch = new byte[Math.max(encoded.length, scratch.length * 2)];
    }
    System.arraycopy(encoded, 0, scratch, 0, encoded.length);
    return encoded.length;
  }

  static int indexOf(byte[] bytes, int start, int end, byte value) {
    for (int i = start; i < end; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
