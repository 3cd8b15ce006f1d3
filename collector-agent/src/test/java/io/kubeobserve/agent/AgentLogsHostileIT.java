package io.kubeobserve.agent;

import static io.kubeobserve.agent.logs.LogTestFiles.append;
import static io.kubeobserve.agent.logs.LogTestFiles.appendLines;
import static io.kubeobserve.agent.logs.LogTestFiles.assertEachLineOnce;
import static io.kubeobserve.agent.logs.LogTestFiles.count;
import static io.kubeobserve.agent.logs.LogTestFiles.metric;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input against a real broker: a 10 MB line (written whole, and as the runtime splits it
 * into 16 KiB CRI pieces), a file of random bytes, and a last line whose newline comes later.
 * Nothing crashes, nothing is dropped, everything is counted. (A file deleted in the middle of
 * being read: {@link AgentLogsRotationIT}.)
 */
@WithKafka
class AgentLogsHostileIT {

  private static final int TEN_MB = 10 * 1024 * 1024;

  @TempDir Path logsRoot;
  @TempDir Path checkpoints;

  @Test
  void hostileInputIsShippedFlaggedAndCounted(EmbeddedKafka kafka) throws Exception {
    String message = "<<huge#1>>" + "0123456789abcdef".repeat(TEN_MB / 16);
    append(podFile(logsRoot, "hostile", "whole-1", "uid-whole", "app"),
        ("2024-05-01T10:00:00.000000000Z stdout F " + message + "\n").getBytes(StandardCharsets.US_ASCII));
    StringBuilder pieces = new StringBuilder();
    for (int at = 0; at < message.length(); at += 16384) {
      String piece = message.substring(at, Math.min(message.length(), at + 16384));
      pieces.append("2024-05-01T10:00:01.000000000Z stdout ").append(at + 16384 >= message.length() ? "F " : "P ")
          .append(piece).append('\n');
    }
    append(podFile(logsRoot, "hostile", "split-1", "uid-split", "app"),
        pieces.toString().getBytes(StandardCharsets.US_ASCII));
    byte[] random = new byte[1 << 20];
    new Random(42).nextBytes(random);
    append(podFile(logsRoot, "hostile", "random-1", "uid-random", "app"), random);
    Path unterminated = podFile(logsRoot, "hostile", "slow-1", "uid-slow", "app");
    append(unterminated, "2024-05-01T10:00:02.000000000Z stdout F a line written in two ".getBytes(StandardCharsets.UTF_8));

    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "hostile-logs");
         RunningAgent agent = RunningAgent.startLogsOnly(kafka, logsRoot, checkpoints, "hostile-logs")) {
      int ops = agent.runtime().opsPort();
      await().atMost(Duration.ofSeconds(60)).until(() -> joined(topic.poll(), "uid-whole").length() >= message.length()
          && joined(topic.poll(), "uid-split").length() >= message.length());
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
          .until(() -> of(topic.poll(), "uid-slow").isEmpty());
      append(unterminated, "writes\n".getBytes(StandardCharsets.UTF_8));
      appendLines(podFile(logsRoot, "hostile", "random-1", "uid-random", "app"), "after-random", 1, 10);
      await().atMost(Duration.ofSeconds(20)).until(() -> of(topic.poll(), "uid-slow").size() == 1
          && count(topic.poll(), "after-random") >= 9);
      List<Shipped> shipped = topic.poll();

      for (String uid : List.of("uid-whole", "uid-split")) {
        List<Shipped> parts = of(shipped, uid);
        assertThat(joined(shipped, uid)).as("the 10 MB line, whole, from %s", uid).isEqualTo(message);
        assertThat(parts).as("pieces of at most logs.maxEntryBytes").hasSizeGreaterThanOrEqualTo(40)
            .allMatch(Shipped::partial).allMatch(s -> s.body().length() <= 262144);
        assertThat(parts).extracting(Shipped::uid).doesNotHaveDuplicates();
      }
      assertThat(metric(ops, "kube_observe_agent_log_split_total")).isGreaterThanOrEqualTo(80);

      List<Shipped> garbage = of(shipped, "uid-random").stream().filter(s -> !s.body().startsWith("<<after-random#"))
          .toList();
      assertThat(garbage).isNotEmpty().allMatch(Shipped::unparsed);
      assertThat(metric(ops, "kube_observe_agent_log_unparsed_total")).isEqualTo(garbage.size());
      assertEachLineOnce(shipped, "after-random", 2, 10); // line 1 follows the random bytes' last, unterminated line

      assertThat(of(shipped, "uid-slow")).singleElement().extracting(Shipped::body)
          .isEqualTo("a line written in two writes");
    }
  }

  private static List<Shipped> of(List<Shipped> shipped, String podUid) {
    return shipped.stream().filter(s -> s.key().equals(podUid)).toList();
  }

  private static String joined(List<Shipped> shipped, String podUid) {
    StringBuilder text = new StringBuilder();
    of(shipped, podUid).forEach(s -> text.append(s.body()));
    return text.toString();
  }
}
