package io.kubeobserve.agent;

import static io.kubeobserve.agent.logs.LogTestFiles.appendLines;
import static io.kubeobserve.agent.logs.LogTestFiles.assertEachLineOnce;
import static io.kubeobserve.agent.logs.LogTestFiles.count;
import static io.kubeobserve.agent.logs.LogTestFiles.metric;
import static io.kubeobserve.agent.logs.LogTestFiles.podFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.agent.logs.LogTestFiles.LogsTopic;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation against a real broker, each kind in its own container. The agent is rate-limited
 * (50 kB/s per container) so that it is still behind when the file goes: a renamed, deleted or
 * orphaned (pod directory deleted) file is read to its end through the open handle; after a
 * copytruncate the agent reads on in the copy what it had not read yet, then the file again from
 * its start, and when there is no copy it counts the bytes that may have been lost; a file rotated
 * before the agent saw it is read once, also across a restart.
 */
@WithKafka
class AgentLogsRotationIT {

  @TempDir Path logsRoot;
  @TempDir Path checkpoints;

  private List<String> settings(String topic) {
    return RunningAgent.logsOnly(logsRoot, checkpoints, topic, "logs.rateLimit.bytesPerSecond=50000",
        "logs.rotateWait=1s");
  }

  @Test
  void renamedDeletedAndOrphanedFilesAreReadToTheirEnd(EmbeddedKafka kafka) throws Exception {
    Path renamed = podFile(logsRoot, "rot", "renamed-1", "uid-renamed", "app");
    Path deleted = podFile(logsRoot, "rot", "deleted-1", "uid-deleted", "app");
    Path orphaned = podFile(logsRoot, "rot", "orphaned-1", "uid-orphaned", "app");
    appendLines(renamed, "renamed", 1, 1500);
    appendLines(deleted, "deleted", 1, 2000);
    appendLines(orphaned, "orphaned", 1, 2000);
    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "rotation-logs");
         RunningAgent agent = RunningAgent.start(kafka, settings("rotation-logs"))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> count(topic.poll(), "renamed") > 0
          && count(topic.poll(), "deleted") > 0 && count(topic.poll(), "orphaned") > 0);
      Files.move(renamed, renamed.resolveSibling("0.log.20240501-100000"));
      appendLines(renamed, "renamed", 1501, 2000); // the new 0.log
      Files.delete(deleted);
      deleteTree(orphaned.getParent().getParent());
      assertThat(count(topic.poll(), "deleted")).as("still behind when deleted").isLessThan(2000);

      await().atMost(Duration.ofSeconds(60)).until(() -> count(topic.poll(), "renamed") >= 2000
          && count(topic.poll(), "deleted") >= 2000 && count(topic.poll(), "orphaned") >= 2000);
      assertEachLineOnce(topic.poll(), "renamed", 1, 2000);
      assertEachLineOnce(topic.poll(), "deleted", 1, 2000);
      assertEachLineOnce(topic.poll(), "orphaned", 1, 2000);
      await().atMost(Duration.ofSeconds(10)).until(() ->
          metric(agent.runtime().opsPort(), "kube_observe_agent_log_files") == 1.0);
    }
  }

  @Test
  void copytruncateReadsOnInTheCopyAndCountsWhatMayBeLostWithoutOne(EmbeddedKafka kafka) throws Exception {
    Path caughtUp = podFile(logsRoot, "rot", "caught-up-1", "uid-caught-up", "app");
    Path behind = podFile(logsRoot, "rot", "behind-1", "uid-behind", "app");
    Path noCopy = podFile(logsRoot, "rot", "no-copy-1", "uid-no-copy", "app");
    appendLines(caughtUp, "caughtup", 1, 300);
    appendLines(behind, "behind", 1, 8000);
    appendLines(noCopy, "nocopy", 1, 3000);
    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "copytruncate-logs");
         RunningAgent agent = RunningAgent.start(kafka, settings("copytruncate-logs"))) {
      int ops = agent.runtime().opsPort();
      await().atMost(Duration.ofSeconds(20)).until(() -> count(topic.poll(), "caughtup") >= 300
          && count(topic.poll(), "behind") > 0 && count(topic.poll(), "nocopy") > 0);
      long shippedBeforeTruncation = count(topic.poll(), "nocopy");
      copyTruncate(noCopy, false);
      appendLines(noCopy, "nocopy", 3001, 3100);
      await().atMost(Duration.ofSeconds(30)).until(() -> topic.poll().stream()
          .anyMatch(s -> s.body().startsWith("<<nocopy#3100>>")));
      assertThat(shippedBeforeTruncation).isLessThan(3000);
      assertEachLineOnce(topic.poll(), "nocopy", 3001, 3100);
      double lostWithoutCopy = metric(ops, "kube_observe_agent_log_rotation_lost_bytes_total");
      assertThat(lostWithoutCopy).as("bytes possibly lost when the truncated file left no copy").isPositive();

      copyTruncate(caughtUp, true);
      appendLines(caughtUp, "caughtup", 301, 600);
      await().atMost(Duration.ofSeconds(20)).until(() -> count(topic.poll(), "caughtup") >= 600);
      assertEachLineOnce(topic.poll(), "caughtup", 1, 600);

      long shippedBefore = count(topic.poll(), "behind");
      copyTruncate(behind, true);
      appendLines(behind, "behind", 8001, 8100);
      await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "behind") >= 8100);
      assertThat(shippedBefore).as("the agent was behind when the file was truncated").isLessThan(8000);
      assertEachLineOnce(topic.poll(), "behind", 1, 8100);
      assertThat(metric(ops, "kube_observe_agent_log_rotation_lost_bytes_total")).as("nothing more lost with a copy")
          .isEqualTo(lostWithoutCopy);
    }
  }

  @Test
  void aReusedInodeWithOtherFirstBytesIsANewFile(EmbeddedKafka kafka) throws Exception {
    Path file = podFile(logsRoot, "rot", "reused-1", "uid-reused", "app");
    appendLines(file, "reused", 1, 200);
    Map<String, Object> unix = Files.readAttributes(file, "unix:dev,ino");
    CRC32C other = new CRC32C();
    other.update("2020-01-01T00:00:00.000000000Z stdout F the file that had this inode before".getBytes());
    Files.writeString(checkpoints.resolve("log-checkpoints.json"), """
        {"version": 1, "files": [{"device": %s, "inode": %s, "fingerprintLength": 64, "fingerprint": "%s",
          "offset": %d, "path": "%s"}]}
        """.formatted(unix.get("dev"), unix.get("ino"), Long.toHexString(other.getValue()), Files.size(file), file));
    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "reused-logs");
         RunningAgent agent = RunningAgent.start(kafka, settings("reused-logs"))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "reused") >= 200);
      assertEachLineOnce(topic.poll(), "reused", 1, 200);
    }
  }

  @Test
  void aFileRotatedBeforeTheAgentSawItIsReadOnceAlsoAcrossARestart(EmbeddedKafka kafka) throws Exception {
    Path file = podFile(logsRoot, "rot", "early-1", "uid-early", "app");
    appendLines(file, "early", 1, 100);
    Files.move(file, file.resolveSibling("0.log.20240501-090000"));
    appendLines(file, "early", 101, 150);
    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "early-logs")) {
      try (RunningAgent agent = RunningAgent.start(kafka, settings("early-logs"))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "early") >= 150);
      }
      appendLines(file, "early", 151, 160);
      try (RunningAgent agent = RunningAgent.start(kafka, settings("early-logs"))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "early") >= 160);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
            .until(() -> count(topic.poll(), "early") == 160);
      }
      assertEachLineOnce(topic.poll(), "early", 1, 160);
    }
  }

  /** What logrotate's copytruncate does: copy the file aside, then truncate it in place. */
  /** copytruncate as logrotate does it; {@code keepCopy} false: the copy is gone (compressed or deleted at once). */
  private static void copyTruncate(Path file, boolean keepCopy) throws IOException {
    if (keepCopy) {
      Files.copy(file, file.resolveSibling("0.log.1"), StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(0);
    }
  }

  private static void deleteTree(Path directory) throws IOException {
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
    }
    for (Path path : paths) {
      Files.delete(path);
    }
  }
}
