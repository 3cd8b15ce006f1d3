package io.kubeobserve.agent;

import static io.kubeobserve.agent.logs.LogTestFiles.append;
import static io.kubeobserve.agent.logs.LogTestFiles.cri;
import static io.kubeobserve.agent.logs.LogTestFiles.podFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.agent.logs.LogTestFiles.LogsTopic;
import io.kubeobserve.agent.logs.LogTestFiles.Shipped;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-line records against a real broker ({@code logs.multiline.enabled=true}, the default start
 * pattern): a Java stack trace is one record, the line after it another, and a trace at the end of
 * the file is sent after {@code logs.multiline.timeout} without waiting for a next line. Records are
 * built per stream, so their order holds within a stream.
 */
@WithKafka
class AgentLogsMultilineIT {

  @TempDir Path logsRoot;
  @TempDir Path checkpoints;

  @Test
  void aStackTraceIsOneRecord(EmbeddedKafka kafka) throws Exception {
    Path file = podFile(logsRoot, "ml", "api-1", "uid-api", "api");
    String trace = """
        Exception in thread "main" java.lang.IllegalStateException: boom
        \tat com.example.Orders.place(Orders.java:42)
        \tat com.example.Main.main(Main.java:7)
        Caused by: java.lang.NullPointerException
        \t... 1 more""";
    StringBuilder lines = new StringBuilder(cri("stdout", "starting"));
    trace.lines().forEach(line -> lines.append(cri("stderr", line)));
    lines.append(cri("stderr", "request handled"));
    trace.lines().forEach(line -> lines.append(cri("stderr", line)));
    append(file, lines.toString().getBytes(StandardCharsets.UTF_8));

    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "multiline-logs");
         RunningAgent agent = RunningAgent.startLogsOnly(kafka, logsRoot, checkpoints, "multiline-logs",
             "logs.multiline.enabled=true", "logs.multiline.timeout=1s")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> topic.poll().size() >= 4);
      List<Shipped> shipped = topic.poll();
      assertThat(shipped).filteredOn(s -> s.attributes().get("log.iostream").equals("stderr"))
          .extracting(Shipped::body).containsExactly(trace, "request handled", trace);
      // records are built per stream: the stdout one is sent when its timeout ends it
      assertThat(shipped).filteredOn(s -> s.attributes().get("log.iostream").equals("stdout"))
          .extracting(Shipped::body).containsExactly("starting");
    }
  }
}
