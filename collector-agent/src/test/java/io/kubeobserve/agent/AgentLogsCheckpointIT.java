package io.kubeobserve.agent;

import static io.kubeobserve.agent.logs.LogTestFiles.appendLines;
import static io.kubeobserve.agent.logs.LogTestFiles.assertEachLineOnce;
import static io.kubeobserve.agent.logs.LogTestFiles.count;
import static io.kubeobserve.agent.logs.LogTestFiles.podFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.agent.logs.LogTestFiles.LogsTopic;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints against a real broker: an agent stopped and started again with the same
 * {@code checkpoints.dir} resumes at the end of what Kafka acknowledged, so every line arrives
 * exactly once across a graceful restart; {@code logs.startAt=end} skips what the files held at the
 * very first start only.
 */
@WithKafka
class AgentLogsCheckpointIT {

  @TempDir Path logsRoot;
  @TempDir Path checkpoints;

  private List<String> settings(String topic, String... extra) {
    return RunningAgent.logsOnly(logsRoot, checkpoints, topic, extra);
  }

  @Test
  void everyLineArrivesExactlyOnceAcrossAGracefulRestart(EmbeddedKafka kafka) throws Exception {
    Path api = podFile(logsRoot, "shop", "api-1", "uid-api-1", "api");
    Path worker = podFile(logsRoot, "shop", "worker-1", "uid-worker-1", "worker");
    appendLines(api, "api", 1, 500);
    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "restart-logs")) {
      try (RunningAgent agent = RunningAgent.start(kafka, settings("restart-logs"))) {
        appendLines(api, "api", 501, 1000);
        appendLines(worker, "worker", 1, 300);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "api") >= 1000
            && count(topic.poll(), "worker") >= 300);
        appendLines(api, "api", 1001, 1200); // being read while the agent stops
      }
      assertThat(checkpoints.resolve("log-checkpoints.json")).exists();
      appendLines(api, "api", 1201, 1500);
      appendLines(worker, "worker", 301, 400);
      try (RunningAgent agent = RunningAgent.start(kafka, settings("restart-logs"))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "api") >= 1500
            && count(topic.poll(), "worker") >= 400);
        appendLines(api, "api", 1501, 1600);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "api") >= 1600);
      }
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> topic.poll() != null);
      assertEachLineOnce(topic.poll(), "api", 1, 1600);
      assertEachLineOnce(topic.poll(), "worker", 1, 400);
    }
  }

  @Test
  void startAtEndSkipsWhatTheFilesHeldAtTheFirstStartOnly(EmbeddedKafka kafka) throws Exception {
    Path old = podFile(logsRoot, "shop", "old-1", "uid-old-1", "app");
    appendLines(old, "old", 1, 100);
    Files.writeString(old, "2024-05-01T10:00:00.000000000Z stdout F a last line without its newline",
        java.nio.file.StandardOpenOption.APPEND);
    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "start-end-logs")) {
      try (RunningAgent agent = RunningAgent.start(kafka, settings("start-end-logs", "logs.startAt=end"))) {
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.service() != null);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(checkpoints.resolve("log-checkpoints.json")));
        Files.writeString(old, " (completed)\n", java.nio.file.StandardOpenOption.APPEND);
        appendLines(old, "old", 101, 110);
        Path later = podFile(logsRoot, "shop", "new-1", "uid-new-1", "app");
        appendLines(later, "new", 1, 20); // a pod started after the agent: read whole
        await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "old") >= 10
            && count(topic.poll(), "new") >= 20);
      }
      appendLines(old, "old", 111, 150); // written while the agent is down: read after the restart
      try (RunningAgent agent = RunningAgent.start(kafka, settings("start-end-logs", "logs.startAt=end"))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "old") >= 50);
      }
      assertEachLineOnce(topic.poll(), "old", 101, 150);
      assertEachLineOnce(topic.poll(), "new", 1, 20);
      assertThat(count(topic.poll(), "old")).as("nothing from before the first start").isEqualTo(50);
      assertThat(topic.poll()).extracting(s -> s.body()).noneMatch(b -> b.contains("without its newline"));
    }
  }
}
