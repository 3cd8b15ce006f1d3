package io.kubeobserve.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code container-log-cases.jsonl} (Vector, Beats, the OpenTelemetry Collector and
 * Fluent Bit test tables) through the agent's parser and joiners. Line-parser sources (Vector's
 * and the Collector's CRI field splitter) are checked line by line; the others as the entries a
 * file gives. Where the sources disagree with each other, the agent's choice (collector-agent
 * README, "Parsing decisions") changes the expectation of exactly the cases listed below, each
 * list with its reason; {@link #everyListedCaseExists} keeps the lists honest.
 */
class ContainerLogCasesTest {

  /** Sources that test a line parser: one input line, one parsed line, with its partial flag. */
  private static final Set<String> LINE_PARSER_PREFIXES = Set.of("vector-", "otel-crifields-");

  /** D1: the message is everything after the one space that follows the tag, as the kubelet writes it. */
  private static final Set<String> KEEPS_LEADING_SPACE = Set.of("otel-crifields-04", "otel-crifields-08");

  /** D2: docker's trailing newline is removed (as Vector, the Collector and kubectl do); Beats and Fluent Bit keep it. */
  private static final Set<String> NEWLINE_REMOVED = Set.of("beats-dockerjson-01", "beats-dockerjson-09",
      "beats-dockerjson-11", "beats-dockerjson-22", "beats-docker-corrupted-file", "fluentbit-ml-docker",
      "fluentbit-ml-container-mix", "fluentbit-k8s-dockerline-01", "fluentbit-k8s-dockerline-02",
      "fluentbit-k8s-dockerline-03", "fluentbit-k8s-dockerline-04", "fluentbit-k8s-dockerline-05",
      "fluentbit-ml-java", "fluentbit-ml-python", "fluentbit-ml-ruby");

  /**
   * D3: a line in no container format is passed on flagged unparsed with its bytes, never dropped
   * (Vector, Beats and the Collector drop or reject it). Expect_error cases with one line expect that
   * line as one unparsed record; the multi-line ones are overridden below.
   */
  private static final String UNPARSED_REASON = "D3 unparsed lines are passed on, not dropped";

  /**
   * D3 in a file: the corrupted line (0-based input index) is shipped unparsed at its place, where the
   * source skips it; every other line gives its record.
   */
  private static final Map<String, Integer> CORRUPTED_LINE_SHIPPED = Map.of("beats-docker-corrupted-file", 6);

  /** D4: the agent ships both streams; Beats' stream filter has no equivalent (include/exclude are per pod). */
  private static final Set<String> BOTH_STREAMS_SHIPPED = Set.of("beats-dockerjson-09", "beats-dockerjson-10");

  /** A record as the cases state it. */
  record Rec(String log, String stream, boolean unparsed) {
    static Rec unparsed(String raw) {
      return new Rec(raw, null, true);
    }

    static Rec of(String log, String stream) {
      return new Rec(log, stream, false);
    }
  }

  /** Cases whose expectation our choices replace, with the reason and what the agent gives instead. */
  private static final Map<String, Override> OVERRIDDEN = Map.of(
      "beats-dockerjson-07", new Override("D5 legacy CRI lines without the P/F tag (before 2018) are unparsed",
          List.of(Rec.unparsed("2017-09-12T22:32:21.212861448Z stdout 2017-09-12 22:32:21.212 [INFO][88] table.go 710:"
              + " Invalidating dataplane cache"))),
      "beats-dockerjson-17", new Override("D5 legacy CRI lines without the P/F tag (before 2018) are unparsed",
          List.of(Rec.unparsed("2017-09-12T22:32:21.212861448Z stdout 2017-09-12 22:32:21.212 [INFO][88] table.go 710:"
              + " Invalidating dataplane cache"))),
      "beats-dockerjson-14", new Override("D6 pieces are always joined (Beats can turn joining off)",
          List.of(Rec.of("1:M 09 Nov 13:27:36.276 # User requested shutdown...", "stdout"))),
      "beats-dockerjson-21", new Override(UNPARSED_REASON + "; the pending piece is passed on first, as it is",
          List.of(Rec.of("1:M 09 Nov 13:27:36.276 # User requested ", "stdout"),
              Rec.unparsed("{\"log\":\"shutdown...\\n\",\"stream"))),
      "beats-dockerjson-24", new Override(UNPARSED_REASON, List.of(
          Rec.unparsed("36.276 # User requested shutdown...\\n\",\"stream\":\"stdout\",\"time\":"
              + "\"2017-11-09T13:27:36.277747246Z\"}"),
          Rec.of("1:M 09 Nov 13:27:36.276 # User requested", "stdout"))),
      "fluentbit-ml-container-mix", new Override("D7 one joining buffer per stream whatever the line's format: "
          + "a runtime writes one format per file, so Fluent Bit's separate docker and CRI buffers never matter",
          List.of(Rec.of("a1", "stdout"), Rec.of("a2", "stderr"), Rec.of("ddee", "stderr"),
              Rec.of("bbccsingle full", "stdout"), Rec.of("1a. some multiline log", "stdout"),
              Rec.of("1b. some multiline log", "stderr"), Rec.of("dd-out", "stdout"), Rec.of("dd-err", "stderr"))),
      "vector-docker-02", new Override("D8 a docker piece without trailing newline is continued by the next piece "
          + "of its stream whatever its length (Beats, Fluent Bit); Vector only when exactly 16 KiB",
          List.of(new Rec("A line without newline char at the end", "stdout", false))));

  record Override(String reason, List<Rec> expected) {}

  static List<Named<JsonNode>> cases() throws IOException {
    return Fixtures.jsonLines("fixtures/logs/container-log-cases.jsonl");
  }

  @Test
  void everyListedCaseExists() throws IOException {
    Set<String> ids = new java.util.HashSet<>();
    cases().forEach(c -> ids.add(c.getPayload().get("id").asText()));
    assertThat(ids).hasSize(81).containsAll(KEEPS_LEADING_SPACE).containsAll(NEWLINE_REMOVED)
        .containsAll(BOTH_STREAMS_SHIPPED).containsAll(OVERRIDDEN.keySet())
        .containsAll(CORRUPTED_LINE_SHIPPED.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void caseGivesWhatTheAgentChose(JsonNode testCase) {
    String id = testCase.get("id").asText();
    List<byte[]> input = input(testCase);
    if (LINE_PARSER_PREFIXES.stream().anyMatch(id::startsWith)) {
      checkLineParser(id, testCase, input);
      return;
    }
    List<Rec> ours = entries(testCase, input);
    List<Rec> expected = expected(id, testCase);
    if (BOTH_STREAMS_SHIPPED.contains(id)) {
      assertThat(ours).as("every line is shipped").hasSize(input.size());
      String stream = testCase.get("config").get("stream").asText();
      ours = ours.stream().filter(r -> stream.equals(r.stream())).toList();
    }
    if (id.startsWith("beats-dockerjson-") && !OVERRIDDEN.containsKey(id) && !expected.isEmpty()) {
      ours = ours.subList(0, Math.min(ours.size(), expected.size())); // Beats asserts the first message only
    }
    assertThat(ours).usingElementComparator(ContainerLogCasesTest::compare).containsExactlyElementsOf(expected);
  }

  private static List<Rec> expected(String id, JsonNode testCase) {
    if (OVERRIDDEN.containsKey(id)) {
      return OVERRIDDEN.get(id).expected();
    }
    if (testCase.path("expect_error").asBoolean()) {
      assertThat(testCase.get("input")).as(UNPARSED_REASON + ": one line").hasSize(1);
      return List.of(Rec.unparsed(testCase.get("input").get(0).asText()));
    }
    List<Rec> expected = new ArrayList<>();
    boolean changed = false;
    for (JsonNode record : testCase.get("expected")) {
      String log = record.get("log").asText();
      if (NEWLINE_REMOVED.contains(id) && log.endsWith("\n")) {
        log = log.substring(0, log.length() - 1);
        changed = true;
      }
      // Fluent Bit passes a line in no container format through as it is: the agent flags it unparsed
      boolean unparsed = !testCase.get("format").asText().equals("plain") && rawLines(testCase).contains(log);
      expected.add(new Rec(log, record.has("stream") ? record.get("stream").asText() : null, unparsed));
    }
    assertThat(changed).as("D2 changes the expectation of %s", id).isEqualTo(NEWLINE_REMOVED.contains(id));
    Integer corrupted = CORRUPTED_LINE_SHIPPED.get(id);
    if (corrupted != null) {
      expected.add(corrupted, Rec.unparsed(testCase.get("input").get(corrupted).asText()));
    }
    return expected;
  }

  /** Equal when the logs are, and the stream and unparsed flag where the case states them. */
  private static int compare(Rec ours, Rec expected) {
    boolean same = ours.log().equals(expected.log()) && ours.unparsed() == expected.unparsed()
        && (expected.stream() == null || expected.stream().equals(ours.stream()));
    return same ? 0 : 1;
  }

  private static List<Rec> entries(JsonNode testCase, List<byte[]> input) {
    List<Rec> out = new ArrayList<>();
    EntrySink collect = (offset, time, stream, body, start, length, piece, unparsed) -> out.add(new Rec(
        new String(body, start, length, StandardCharsets.UTF_8), stream == null ? null : stream.text(), unparsed));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    if (testCase.get("format").asText().equals("plain")) {
      MultilineJoiner joiner = new MultilineJoiner(defaultStartPattern(), 1 << 20, collect);
      long offset = 0;
      for (byte[] line : input) {
        joiner.entry(offset++, 0, LogStream.STDOUT, line, 0, line.length, false, false);
      }
      joiner.flush();
      return out;
    }
    MultilineJoiner multiline = testCase.path("config").has("multiline_after_cri")
        ? new MultilineJoiner(Pattern.compile("- $"), 1 << 20, collect) : null;
    PartialJoiner joiner = new PartialJoiner(1 << 20, multiline != null ? multiline : collect,
        registry.counter("reassembled"));
    LineParser parser = new LineParser();
    ParsedLine line = new ParsedLine();
    long offset = 0;
    for (byte[] bytes : input) {
      parser.parse(bytes, 0, bytes.length, line);
      joiner.accept(line, offset, offset, 0);
      offset += bytes.length + 1;
    }
    joiner.flush();
    if (multiline != null) {
      multiline.flush();
    }
    if (testCase.has("path")) {
      checkPathMetadata(testCase);
    }
    return out;
  }

  private static void checkPathMetadata(JsonNode testCase) {
    JsonNode k8s = testCase.get("expected").get(0).get("k8s");
    if (k8s == null) {
      return;
    }
    PodLogPath pod = PodLogPath.parse(testCase.get("path").asText()).orElseThrow();
    assertThat(Map.of("k8s.namespace.name", pod.namespace(), "k8s.pod.name", pod.podName(), "k8s.pod.uid",
        pod.podUid(), "k8s.container.name", pod.containerName(), "k8s.container.restart_count",
        Integer.toString(pod.restartCount()))).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper()
        .convertValue(k8s, Map.class));
  }

  private static void checkLineParser(String id, JsonNode testCase, List<byte[]> input) {
    LineParser parser = new LineParser();
    ParsedLine line = new ParsedLine();
    byte[] bytes = input.get(0);
    parser.parse(bytes, 0, bytes.length, line);
    if (testCase.path("expect_error").asBoolean()) {
      assertThat(line.format).as(UNPARSED_REASON).isEqualTo(ParsedLine.Format.UNPARSED);
      return;
    }
    JsonNode expected = testCase.get("expected").get(0);
    assertThat(line.format).isNotEqualTo(ParsedLine.Format.UNPARSED);
    assertThat(line.timeNanos).isEqualTo(nanos(OffsetDateTime.parse(expected.get("time").asText(),
        DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()));
    assertThat(line.stream.text()).isEqualTo(expected.get("stream").asText());
    byte[] message = java.util.Arrays.copyOfRange(line.message, line.messageStart,
        line.messageStart + line.messageLength);
    if (expected.has("log_base64")) {
      assertThat(message).isEqualTo(Base64.getDecoder().decode(expected.get("log_base64").asText()));
    } else {
      String log = expected.get("log").asText();
      assertThat(new String(message, StandardCharsets.UTF_8))
          .isEqualTo(KEEPS_LEADING_SPACE.contains(id) ? " " + log : log);
    }
    boolean partial = expected.has("partial") ? expected.get("partial").asBoolean()
        : expected.get("logtag").asText().equals("P");
    if (OVERRIDDEN.containsKey(id)) {
      partial = !partial; // D8
    }
    assertThat(line.continued).as("continued by the next line").isEqualTo(partial);
  }

  private static List<byte[]> input(JsonNode testCase) {
    List<byte[]> lines = new ArrayList<>();
    boolean base64 = "base64".equals(testCase.path("input_encoding").asText());
    for (JsonNode line : testCase.get("input")) {
      byte[] bytes = base64 ? Base64.getDecoder().decode(line.asText()) : line.asText().getBytes(StandardCharsets.UTF_8);
      if (bytes.length > 0 && bytes[bytes.length - 1] == '\n') {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1); // the line's own terminator
      }
      lines.add(bytes);
    }
    return lines;
  }

  private static Set<String> rawLines(JsonNode testCase) {
    Set<String> lines = new java.util.HashSet<>();
    testCase.get("input").forEach(line -> lines.add(line.asText()));
    return lines;
  }

  /** {@code logs.multiline.startPattern} as agent-defaults.yaml sets it. */
  static Pattern defaultStartPattern() {
    AgentConfig config = ConfigLoader.load(AgentConfig.class, new ConfigSources(Optional.empty(), List.of(), Map.of()),
        AgentConfig.DEFAULTS);
    return Pattern.compile(config.logs().multiline().startPattern());
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
