package io.kubeobserve.agent.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.cluster.logs.RotationPolicy;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent process killed with SIGKILL five times at random moments of a million-entry stream
 * (files rotating by rename meanwhile) and restarted each time: every entry arrives, and the
 * entries sent twice fit in what was in flight at each kill.
 */
@WithKafka
class AgentCrashIT {

  private static final Logger LOG = LoggerFactory.getLogger(AgentCrashIT.class);
  private static final int CONTAINERS = 20;
  private static final long ENTRIES_PER_CONTAINER = 50_000;
  private static final double ENTRIES_PER_SECOND = 1_000;
  private static final int KILLS = 5;

  @TempDir Path work;

  @Test
  void everyEntryArrivesAcrossFiveKillsAndDuplicatesStayWithinTheInFlightWindow(EmbeddedKafka kafka) throws Exception {
    Path root = work.resolve("pods");
    String topic = "proof-crash";
    long seed = System.nanoTime();
    List<Long> killAtMillis = killMoments(new Random(seed));
    LOG.info("kills at {} ms of the stream (seed {})", killAtMillis, seed);
    long started = System.nanoTime();
    try (LogLoad load = LogLoad.start(root, "crash", CONTAINERS, ENTRIES_PER_CONTAINER, ENTRIES_PER_SECOND,
             new RotationPolicy(2L << 20, 1000, RotationPolicy.Mode.RENAME));
         AgentProcess agent = AgentProcess.start(ProofSettings.JVM_OPTIONS,
             ProofSettings.agent(kafka, topic, root, work.resolve("checkpoints")), work);
         LogStreamVerifier verifier = new LogStreamVerifier(kafka.bootstrapServers(), topic)) {
      List<Long> killedAtEntries = new ArrayList<>();
      for (long at : killAtMillis) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
            .until(() -> (System.nanoTime() - started) / 1_000_000 >= at);
        agent.kill();
        killedAtEntries.add(load.written());
        agent.restart();
        verifier.drain();
      }
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        verifier.drain();
        return load.finished();
      });
      GroundTruth truth = GroundTruth.read(root);
      Verdict verdict = verifier.awaitVerdict(truth, Duration.ofSeconds(20), Duration.ofMinutes(3));
      LOG.info("{} entries ({} CRI lines) in {} s, killed after {} entries written\n{}",
          truth.entries(), truth.lines(), (System.nanoTime() - started) / 1_000_000_000, killedAtEntries, verdict);

      assertThat(truth.entries()).isGreaterThanOrEqualTo(CONTAINERS * ENTRIES_PER_CONTAINER);
      assertThat(verdict.lossless()).as("every entry arrives, unaltered, with the same log.record.uid when re-sent\n%s",
          verdict).isTrue();
      assertThat(verdict.duplicateBytes())
          .as("bytes sent twice, against %d kills × logs.maxBufferedBytes\n%s", KILLS, verdict)
          .isLessThanOrEqualTo(KILLS * ProofSettings.MAX_BUFFERED_BYTES);
    }
  }

  /** Five moments between 5 s and 45 s into the 50 s stream, at least 3 s apart, in order. */
  private static List<Long> killMoments(Random random) {
    List<Long> moments = new ArrayList<>();
    long earliest = 5_000;
    for (int i = 0; i < KILLS; i++) {
      long latest = 45_000 - (KILLS - 1 - i) * 3_000L;
      long at = earliest + (long) (random.nextDouble() * (latest - earliest) / 2);
      moments.add(at);
      earliest = at + 3_000;
    }
    return moments;
  }
}
