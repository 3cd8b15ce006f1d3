package io.kubeobserve.agent.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.cluster.logs.RotationPolicy;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A million entries from twenty containers while their files rotate every 2 MB, half of them the
 * kubelet's way (rename, then a new file) and half logrotate's copytruncate, shipped by an agent
 * process into a real broker and checked entry by entry.
 */
@WithKafka
class RotationUnderLoadIT {

  private static final Logger LOG = LoggerFactory.getLogger(RotationUnderLoadIT.class);
  private static final int CONTAINERS_PER_MODE = 10;
  private static final long ENTRIES_PER_CONTAINER = 50_000;
  private static final double ENTRIES_PER_SECOND = 1_000;
  private static final long ROTATE_AT_BYTES = 2L << 20;

  @TempDir Path work;

  @Test
  void everyEntryArrivesWhileFilesRotateAndCopytruncateLossIsCounted(EmbeddedKafka kafka) throws Exception {
    Path root = work.resolve("pods");
    String topic = "proof-rotation";
    long started = System.nanoTime();
    try (LogLoad renamed = LogLoad.start(root, "rename", CONTAINERS_PER_MODE, ENTRIES_PER_CONTAINER,
             ENTRIES_PER_SECOND, new RotationPolicy(ROTATE_AT_BYTES, 1000, RotationPolicy.Mode.RENAME));
         LogLoad truncated = LogLoad.start(root, "copytruncate", CONTAINERS_PER_MODE, ENTRIES_PER_CONTAINER,
             ENTRIES_PER_SECOND, new RotationPolicy(ROTATE_AT_BYTES, 1000, RotationPolicy.Mode.COPYTRUNCATE));
         AgentProcess agent = AgentProcess.start(ProofSettings.JVM_OPTIONS,
             ProofSettings.agent(kafka, topic, root, work.resolve("checkpoints")), work);
         LogStreamVerifier verifier = new LogStreamVerifier(kafka.bootstrapServers(), topic)) {
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        verifier.drain();
        return renamed.finished() & truncated.finished();
      });
      GroundTruth truth = GroundTruth.read(root);
      Verdict verdict = verifier.awaitVerdict(truth, Duration.ofSeconds(20), Duration.ofMinutes(3));
      Map<String, Double> meters = agent.meters();
      double lostAtRotation = AgentProcess.meter(meters, "rotation", "lost");
      LOG.info("{} entries ({} CRI lines, {} MB) in {} s; bytes counted lost at rotation: "
          + "{}; agent peak RSS {} MiB\n{}", truth.entries(), truth.lines(), truth.bytes() >> 20,
          (System.nanoTime() - started) / 1_000_000_000, lostAtRotation,
          agent.peakRssBytes() >> 20, verdict);

      assertThat(truth.entries()).isGreaterThanOrEqualTo(2 * CONTAINERS_PER_MODE * ENTRIES_PER_CONTAINER);
      assertThat(verdict.missingOf(container -> container.startsWith("rename/")))
          .as("entries of rename-rotated files that never arrived\n%s", verdict).isZero();
      assertThat(verdict.mismatches()).as("entries that arrived altered\n%s", verdict).isZero();
      assertThat(verdict.unexpected() + verdict.undecodable() + verdict.uidChanged())
          .as("foreign, undecodable or re-identified entries\n%s", verdict).isZero();
      long lostToCopytruncate = verdict.missingBytes().entrySet().stream()
          .filter(e -> e.getKey().startsWith("copytruncate/")).mapToLong(Map.Entry::getValue).sum();
      assertThat(lostAtRotation).as("bytes the agent counted as possibly lost at copytruncate, against the bytes of "
          + "the entries that did not arrive\n%s", verdict).isGreaterThanOrEqualTo(lostToCopytruncate);
    }
  }
}
