package io.kubeobserve.agent.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Named;

/** Reads the recorded fixtures under {@code src/test/resources/fixtures}. */
final class Fixtures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** One JSON object per line, each named by its {@code id} for test names. */
  static List<Named<JsonNode>> jsonLines(String resource) throws IOException {
    try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing fixture " + resource);
      }
      List<Named<JsonNode>> cases = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          JsonNode testCase = JSON.readTree(line);
          cases.add(Named.of(testCase.get("id").asText(), testCase));
        }
      }
      return cases;
    }
  }
}
