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
 * change, run the tests with {@code -Dkube-observe.golden.update=true} and review the diff.
 */
final class Golden {

  private static final boolean UPDATE = Boolean.getBoolean("kube-observe.golden.update");

  private Golden() {}

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
