package io.kubeobserve.agent;

import static io.kubeobserve.agent.logs.LogTestFiles.appendLines;
import static io.kubeobserve.agent.logs.LogTestFiles.assertNoneMissing;
import static io.kubeobserve.agent.logs.LogTestFiles.count;
import static io.kubeobserve.agent.logs.LogTestFiles.metric;
import static io.kubeobserve.agent.logs.LogTestFiles.podFile;
import static io.kubeobserve.agent.logs.LogTestFiles.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.agent.logs.LogTestFiles.LogsTopic;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure and fairness against a real broker. While the broker is stopped the agent's
 * {@code /readyz} answers 503, reading pauses at {@code logs.maxBufferedBytes} (the buffered gauge
 * never goes past it) and, once the broker is back, every line arrives. A noisy container held to
 * its byte rate does not delay a quiet container's lines.
 */
@WithKafka
class AgentLogsBackpressureIT {

  private static final long CAP = 1 << 20;

  @TempDir Path logsRoot;
  @TempDir Path checkpoints;

  private List<String> settings(String topic, String... extra) {
    return RunningAgent.logsOnly(logsRoot, checkpoints, topic, extra);
  }

  @Test
  void whileTheBrokerIsDownReadingPausesAtTheCapAndNothingIsLost(EmbeddedKafka kafka) throws Exception {
    Path file = podFile(logsRoot, "bp", "api-1", "uid-api", "api");
    appendLines(file, "api", 1, 100);
    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "outage-logs");
         RunningAgent agent = RunningAgent.start(kafka, settings("outage-logs", "logs.batch.maxBytes=65536",
             "logs.maxEntryBytes=16384", "logs.maxBufferedBytes=" + CAP))) {
      int ops = agent.runtime().opsPort();
      await().atMost(Duration.ofSeconds(30)).until(() -> count(topic.poll(), "api") >= 100);
      assertThat(status(ops, "/readyz")).isEqualTo(200);

      kafka.stop();
      appendLines(file, "api", 101, 30_000); // about 3 MB: three times the cap
      await().atMost(Duration.ofSeconds(15)).until(() -> status(ops, "/readyz") == 503);
      AtomicLong highest = new AtomicLong();
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        long buffered = (long) metric(ops, "kube_observe_agent_log_buffered_bytes");
        highest.accumulateAndGet(buffered, Math::max);
        assertThat(buffered).as("buffered bytes").isLessThanOrEqualTo(CAP);
        return highest.get() >= CAP / 2;
      });
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
        long buffered = (long) metric(ops, "kube_observe_agent_log_buffered_bytes");
        assertThat(buffered).as("buffered bytes").isLessThanOrEqualTo(CAP);
        return true;
      });

      kafka.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> count(topic.poll(), "api") >= 30_000);
      await().atMost(Duration.ofSeconds(10)).until(() -> status(ops, "/readyz") == 200);
      long duplicated = assertNoneMissing(topic.poll(), "api", 1, 30_000);
      assertThat(duplicated).as("lines sent twice (only unacknowledged batches may be)").isLessThanOrEqualTo(CAP / 50);
    }
  }

  @Test
  void aRateLimitedNoisyContainerDoesNotDelayAQuietOne(EmbeddedKafka kafka) throws Exception {
    Path noisy = podFile(logsRoot, "fair", "noisy-1", "uid-noisy", "app");
    Path quiet = podFile(logsRoot, "fair", "quiet-1", "uid-quiet", "app");
    appendLines(noisy, "noisy", 1, 50_000); // about 5 MB
    appendLines(quiet, "quiet", 1, 1);
    try (LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "fair-logs");
         RunningAgent agent = RunningAgent.start(kafka, settings("fair-logs",
             "logs.rateLimit.bytesPerSecond=500000"))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> count(topic.poll(), "quiet") >= 1
          && count(topic.poll(), "noisy") > 0);
      for (int line = 2; line <= 4; line++) {
        appendLines(quiet, "quiet", line, line);
        long written = System.nanoTime();
        int expected = line;
        await().atMost(Duration.ofSeconds(3)).until(() -> count(topic.poll(), "quiet") >= expected);
        assertThat(Duration.ofNanos(System.nanoTime() - written)).isLessThan(Duration.ofSeconds(3));
      }
      assertThat(count(topic.poll(), "noisy")).as("the noisy container is still behind").isLessThan(50_000);
    }
  }
}
