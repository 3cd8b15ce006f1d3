package io.kubeobserve.agent.signals;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.agent.kubelet.KubeletScraper.Scrape;
import io.kubeobserve.agent.kubelet.StatsSummaryMapper;
import io.kubeobserve.agent.signals.ContainerMemory.Usage;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Working sets taken from recorded {@code /stats/summary} responses (see {@code fixtures/SOURCES.md}). */
class ContainerMemoryTest {

  private static final String SUMMARY = "fixtures/kubelet/stats-summary_k8s-1.35_containerd-2.2_minikube.json";
  // kube-proxy-8k9zt's container in that recording: workingSetBytes 18755584 at 2026-06-26T10:14:37Z
  private static final String KUBE_PROXY_UID = "90565722-42c8-4f10-a59b-c8fc6571e86d";
  private static final Instant RECORDED = Instant.parse("2026-06-26T10:14:37Z");

  private final ContainerMemory memory = new ContainerMemory(Duration.ofMinutes(10));

  private static Scrape scrape(String fixture) throws Exception {
    try (InputStream in = ContainerMemoryTest.class.getClassLoader().getResourceAsStream(fixture)) {
      byte[] body = in.readAllBytes();
      return new Scrape("/stats/summary", 0, body.length,
          List.of(StatsSummaryMapper.toOtlp(body, "test-cluster", Instant.now())));
    }
  }

  @Test
  void aStatsSummaryScrapeGivesEachContainersWorkingSetAtItsSampleTime() throws Exception {
    memory.record(scrape(SUMMARY));

    assertThat(memory.between(KUBE_PROXY_UID, "kube-proxy", Optional.empty(), Optional.empty()))
        .contains(new Usage(18_755_584, RECORDED, 18_755_584));
    assertThat(memory.between(KUBE_PROXY_UID, "kube-proxy", Optional.empty(), Optional.of(RECORDED.minusSeconds(1))))
        .as("a sample after the instance ended is not its own").isEmpty();
    assertThat(memory.between(KUBE_PROXY_UID, "no-such-container", Optional.empty(), Optional.empty())).isEmpty();
  }

  @Test
  void aRepeatedScrapeOfTheSameSampleIsOneSample() throws Exception {
    memory.record(scrape(SUMMARY));
    memory.record(KUBE_PROXY_UID, "kube-proxy", RECORDED, 99_000_000);

    assertThat(memory.between(KUBE_PROXY_UID, "kube-proxy", Optional.empty(), Optional.empty()))
        .map(Usage::peakBytes).contains(18_755_584L);
  }

  @Test
  void samplesOlderThanTheWindowAndContainersNoScrapeReportedForAWindowAreForgotten() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    memory.record("pod-a", "app", start, 900);
    memory.record("pod-b", "app", start, 50);
    memory.record("pod-a", "app", start.plus(Duration.ofMinutes(5)), 300);
    memory.record("pod-a", "app", start.plus(Duration.ofMinutes(11)), 200);

    assertThat(memory.between("pod-a", "app", Optional.empty(), Optional.empty()))
        .contains(new Usage(200, start.plus(Duration.ofMinutes(11)), 300));
    assertThat(memory.between("pod-b", "app", Optional.empty(), Optional.empty())).isEmpty();
  }
}
