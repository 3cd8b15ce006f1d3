package io.kubeobserve.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Named;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CriLineTest {

  /**
   * The OpenTelemetry Collector trims spaces after the CRI tag; the kubelet (and so
   * {@code kubectl logs}) keeps everything after the one separating space. We follow the kubelet.
   */
  private static final Set<String> KEEPS_LEADING_SPACE = Set.of("otel-crifields-04", "otel-crifields-08");

  static List<Named<JsonNode>> cases() throws IOException {
    return Fixtures.jsonLines("fixtures/logs/cri-line-cases.jsonl");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void recordedCriLineParsesAsUpstreamExpects(JsonNode testCase) {
    Optional<CriLine> parsed = CriLine.parse(testCase.get("input").get(0).asText());

    if (testCase.path("expect_error").asBoolean()) {
      assertThat(parsed).isEmpty();
      return;
    }
    JsonNode expected = testCase.get("expected").get(0);
    CriLine line = parsed.orElseThrow();
    assertThat(line.time()).isEqualTo(OffsetDateTime.parse(expected.get("time").asText()).toInstant());
    assertThat(line.stream()).isEqualTo(expected.get("stream").asText());
    boolean partial = expected.has("partial") ? expected.get("partial").asBoolean() : expected.get("logtag").asText().equals("P");
    assertThat(line.partial()).isEqualTo(partial);
    String message = expected.get("log").asText();
    assertThat(line.message()).isEqualTo(KEEPS_LEADING_SPACE.contains(testCase.get("id").asText()) ? " " + message : message);
  }
}
