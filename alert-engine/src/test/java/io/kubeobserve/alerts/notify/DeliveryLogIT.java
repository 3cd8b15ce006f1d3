package io.kubeobserve.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the notifiers log never holds a receiver's URL, nor its host, port or path: {@link
 * LoggedDeliveries} runs every logging outcome in a child JVM whose SLF4J provider prints every
 * event ({@link CapturingLoggerProvider}), and this test reads all of it.
 */
class DeliveryLogIT {

  @TempDir
  Path directory;

  @Test
  void logsNameTheReceiverButNeverItsUrl() throws IOException, InterruptedException {
    Path output = directory.resolve("output.txt");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dslf4j.provider=" + CapturingLoggerProvider.class.getName(),
        "-cp", System.getProperty("java.class.path"), LoggedDeliveries.class.getName())
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
    List<String> lines = Files.readAllLines(output);
    assertThat(child.exitValue()).as(String.join("\n", lines)).isZero();

    URI url = URI.create(lines.stream().filter(line -> line.startsWith("URL ")).findFirst().orElseThrow().substring(4));
    List<String> logged = lines.stream().filter(line -> line.startsWith("LOG ")).toList();
    List<String> results = lines.stream().filter(line -> line.startsWith("RESULT ")).toList();
    assertThat(results).hasSize(3);
    assertThat(results.get(0)).startsWith("RESULT DELIVERED");
    assertThat(results.get(1)).startsWith("RESULT REJECTED HTTP 404");
    assertThat(results.get(2)).startsWith("RESULT RETRY gave up after");
    assertThat(logged).anySatisfy(line -> assertThat(line).contains("WARN").contains("receiver team-slack rejected"));
    assertThat(logged).anySatisfy(line -> assertThat(line).contains("WARN").contains("giving up"));
    assertThat(logged).anySatisfy(line -> assertThat(line).contains("HTTP 429").contains("retrying in 1000 ms"));
    List<String> secrets = List.of(url.toString(), url.getPath(), "SECRET", url.getHost() + ":" + url.getPort());
    List<String> everything = new ArrayList<>(logged);
    everything.addAll(results);
    for (String line : everything) {
      for (String secret : secrets) {
        assertThat(line).as("a log line or result").doesNotContain(secret);
      }
    }
  }
}
