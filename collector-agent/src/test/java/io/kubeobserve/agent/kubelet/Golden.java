package io.kubeobserve.agent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected outputs under {@code src/test/resources/golden}. To regenerate them after a deliberate
 * change, run the tests that write them and review the diff:
 *
 * <pre>
 * ./mvnw -o -B -pl collector-agent test -Dtest='StatsSummaryMapperTest,ExpositionMapperTest' \
 *     -Dkube-observe.golden.update=true
 * git diff collector-agent/src/test/resources/golden
 * </pre>
 */
final class Golden {

  private static final boolean UPDATE = Boolean.getBoolean("kube-observe.golden.update");

  private Golden() {}

  /** JSON goldens are compared structurally: formatting does not matter, values, order and types do. */
  static void assertJsonMatches(String resource, String actual) {
    if (UPDATE) {
      assertMatches(resource, actual);
      return;
    }
    try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("missing golden file " + resource + "; run with -Dkube-observe.golden.update=true");
      }
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.JsonNode expected = json.readTree(in);
      com.fasterxml.jackson.databind.JsonNode got = json.readTree(actual);
      if (!expected.equals(got)) {
        // show the first differing line of the canonical forms
        String[] e = json.writerWithDefaultPrettyPrinter().writeValueAsString(expected).split("\n");
        String[] a = json.writerWithDefaultPrettyPrinter().writeValueAsString(got).split("\n");
        int line = 0;
        while (line < Math.min(e.length, a.length) && e[line].equals(a[line])) {
          line++;
        }
        throw new AssertionError("output differs from golden file " + resource + " at canonical line " + (line + 1)
            + ":\n expected: " + (line < e.length ? e[line] : "<end>") + "\n   actual: "
            + (line < a.length ? a[line] : "<end>") + "\n(regenerate with -Dkube-observe.golden.update=true if intended)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertMatches(String resource, String actual) {
    if (UPDATE) {
      Path file = Path.of(System.getProperty("basedir", "."), "src/test/resources", resource);
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    try (InputStream in = Golden.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new AssertionError("missing golden file " + resource + "; run with -Dkube-observe.golden.update=true");
      }
      assertThat(actual).as("output against golden file %s", resource)
          .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
