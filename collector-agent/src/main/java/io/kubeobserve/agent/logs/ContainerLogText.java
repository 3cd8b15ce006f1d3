package io.kubeobserve.agent.logs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of container log bytes as {@code kubectl logs} shows it: the CRI or docker framing
 * removed, partial entries joined, lines in no container format kept as they are. For the few
 * lines a termination signal carries; the shipping path does not build strings.
 */
public final class ContainerLogText {

  private ContainerLogText() {}

  /** The entries of {@code bytes} (whole lines; a last line without newline counts), oldest first. */
  public static List<String> entries(byte[] bytes, int maxEntryBytes) {
    List<String> entries = new ArrayList<>();
    EntrySink collect = (offset, time, stream, body, start, length, piece, unparsed) ->
        entries.add(new String(body, start, length, StandardCharsets.UTF_8));
    Counter unused = new SimpleMeterRegistry().counter("reassembled");
    PartialJoiner joiner = new PartialJoiner(maxEntryBytes, collect, unused);
    LineParser parser = new LineParser();
    ParsedLine line = new ParsedLine();
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i > start || i < bytes.length) {
          parser.parse(bytes, start, i, line);
          joiner.accept(line, start, start, 0);
        }
        start = i + 1;
      }
    }
    joiner.flush();
    return entries;
  }
}
