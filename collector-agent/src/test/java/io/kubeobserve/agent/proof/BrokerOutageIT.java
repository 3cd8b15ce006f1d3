package io.kubeobserve.agent.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.cluster.logs.RotationPolicy;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker stopped for 30 s in the middle of a stream, then started again on the same port: the
 * agent pauses reading instead of buffering (its RSS and its buffered bytes stay under their caps),
 * says it is not ready meanwhile, and delivers every entry afterwards.
 */
@WithKafka
class BrokerOutageIT {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageIT.class);
  private static final int CONTAINERS = 20;
  private static final long ENTRIES_PER_CONTAINER = 25_000;
  private static final double ENTRIES_PER_SECOND = 500;
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  /** What the agent process may take with {@link ProofSettings#JVM_OPTIONS}: heap, metaspace, code, threads. */
  private static final long RSS_CAP_BYTES = 320L << 20;

  @TempDir Path work;

  @Test
  void nothingIsLostAndMemoryStaysCappedWhileTheBrokerIsDown(EmbeddedKafka kafka) throws Exception {
    Path root = work.resolve("pods");
    String topic = "proof-outage";
    AtomicLong peakRss = new AtomicLong();
    AtomicLong peakBuffered = new AtomicLong();
    AtomicBoolean notReadySeen = new AtomicBoolean();
    try (LogLoad load = LogLoad.start(root, "outage", CONTAINERS, ENTRIES_PER_CONTAINER, ENTRIES_PER_SECOND,
             new RotationPolicy(2L << 20, 1000, RotationPolicy.Mode.RENAME));
         AgentProcess agent = AgentProcess.start(ProofSettings.JVM_OPTIONS,
             ProofSettings.agent(kafka, topic, root, work.resolve("checkpoints")), work);
         LogStreamVerifier verifier = new LogStreamVerifier(kafka.bootstrapServers(), topic)) {
      await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> {
        verifier.drain();
        return load.written() >= CONTAINERS * ENTRIES_PER_CONTAINER / 5;
      });
      long writtenBefore = load.written();
      kafka.stop();
      try {
        long stopped = System.nanoTime();
        await().atMost(OUTAGE.plusSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
          peakRss.accumulateAndGet(agent.rssBytes(), Math::max);
          Map<String, Double> meters = agent.meters();
          peakBuffered.accumulateAndGet((long) AgentProcess.meter(meters, "log_buffered_bytes"), Math::max);
          if (agent.readyStatus() == 503) {
            notReadySeen.set(true);
          }
          return System.nanoTime() - stopped >= OUTAGE.toNanos();
        });
      } finally {
        kafka.start();
      }
      long writtenDuringOutage = load.written() - writtenBefore;
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        verifier.drain();
        peakRss.accumulateAndGet(agent.rssBytes(), Math::max);
        return load.finished();
      });
      GroundTruth truth = GroundTruth.read(root);
      Verdict verdict = verifier.awaitVerdict(truth, Duration.ofSeconds(20), Duration.ofMinutes(3));
      LOG.info("{} entries, {} of them written during the {} s outage; agent peak RSS {} MiB (cap {} MiB), peak "
          + "buffered {} bytes (cap {}), /readyz 503 seen: {}\n{}", truth.entries(),
          writtenDuringOutage, OUTAGE.toSeconds(), peakRss.get() >> 20, RSS_CAP_BYTES >> 20, peakBuffered.get(),
          ProofSettings.MAX_BUFFERED_BYTES, notReadySeen.get(), verdict);

      assertThat(writtenDuringOutage).as("entries written while the broker was down").isGreaterThan(100_000);
      assertThat(verdict.lossless()).as("every entry arrives after the outage\n%s", verdict).isTrue();
      assertThat(notReadySeen).as("/readyz answered 503 while Kafka was down").isTrue();
      assertThat(peakRss.get()).as("agent RSS during and after the outage").isLessThanOrEqualTo(RSS_CAP_BYTES);
      assertThat(peakBuffered.get()).as("buffered bytes during the outage")
          .isLessThanOrEqualTo(ProofSettings.MAX_BUFFERED_BYTES);
    }
  }
}
