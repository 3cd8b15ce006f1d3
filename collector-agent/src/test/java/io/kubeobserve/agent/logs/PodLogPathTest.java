package io.kubeobserve.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PodLogPathTest {

  static List<Named<JsonNode>> cases() throws IOException {
    return Fixtures.jsonLines("fixtures/logs/pod-log-path-cases.jsonl");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void kubeletLogPathGivesThePodMetadata(JsonNode testCase) {
    Optional<PodLogPath> parsed = PodLogPath.parse(testCase.get("path").asText());

    if (testCase.get("expect_error").asBoolean()) {
      assertThat(parsed).isEmpty();
    } else {
      JsonNode expected = testCase.get("expected");
      assertThat(parsed).contains(new PodLogPath(expected.get("namespace").asText(), expected.get("pod_name").asText(),
          expected.get("uid").asText(), expected.get("container_name").asText(),
          Integer.parseInt(expected.get("restart_count").asText())));
    }
  }
}
