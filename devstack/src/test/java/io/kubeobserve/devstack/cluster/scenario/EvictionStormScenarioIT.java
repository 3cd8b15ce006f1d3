package io.kubeobserve.devstack.cluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Taint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in eviction-storm scenario: node condition, evicted pods, events, kubelet payloads, logs, recovery. */
class EvictionStormScenarioIT {

  private static final String NODE = "sim-node-1";
  private static final String PREFIX = "The node was low on resource: memory. Threshold quantity: 750Mi, available: ";

  @TempDir Path directory;

  @Test
  void memoryPressureEvictsPodsAndRecovers() throws Exception {
    try (ScenarioHarness sim = ScenarioHarness.builtIn("eviction-storm", directory, 20)) {
      GroundTruth pressure = sim.awaitTruth(t -> t.signal() == Signal.NODE_CONDITION && t.detail("status").equals("True"));
      assertThat(pressure.reason()).isEqualTo("KubeletHasInsufficientMemory");
      assertThat(pressure.object().uid()).isEqualTo(sim.node(NODE).getMetadata().getUid());

      // while under pressure: the API node, its taint, and the kubelet's available memory under the threshold
      V1Node node = sim.node(NODE);
      assertThat(condition(node, "MemoryPressure").getStatus()).isEqualTo("True");
      assertThat(condition(node, "MemoryPressure").getReason()).isEqualTo("KubeletHasInsufficientMemory");
      assertThat(node.getSpec().getTaints()).extracting(V1Taint::getKey, V1Taint::getEffect)
          .contains(org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/memory-pressure", "NoSchedule"));
      JsonNode summary = new ObjectMapper().readTree(sim.kubelet(NODE, "/stats/summary").body());
      assertThat(summary.path("node").path("memory").path("availableBytes").asLong()).isLessThan(750L << 20);

      await().atMost(Duration.ofSeconds(30)).until(() -> sim.truth().of(Signal.NODE_CONDITION).size() == 2);
      List<GroundTruth> evictions = sim.truth().of(Signal.POD_EVICTED);
      assertThat(evictions).hasSize(2);
      assertThat(evictions.get(0).message()).isEqualTo(PREFIX + "179968Ki. " + evictions.get(0).message()
          .substring((PREFIX + "179968Ki. ").length()));
      for (GroundTruth eviction : evictions) {
        assertThat(eviction.node()).isEqualTo(NODE);
        assertThat(eviction.message()).startsWith(PREFIX).endsWith(". ");
        assertThat(eviction.at()).isAfter(pressure.at());
        V1Pod pod = sim.pod(eviction.object().namespace(), eviction.object().name());
        assertThat(pod.getMetadata().getUid()).isEqualTo(eviction.object().uid());
        assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(pod.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(pod.getStatus().getMessage()).isEqualTo(eviction.message());
        assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(137);
        List<CoreV1Event> events = sim.eventsAbout(eviction.object().namespace(), eviction.object().name());
        assertThat(events).anySatisfy(event -> {
          assertThat(event.getReason()).isEqualTo("Evicted");
          assertThat(event.getType()).isEqualTo("Warning");
          assertThat(event.getMessage()).isEqualTo(eviction.message());
          assertThat(event.getSource().getComponent()).isEqualTo("kubelet");
          assertThat(event.getSource().getHost()).isEqualTo(NODE);
        });
        // its logs stopped when it was killed
        String container = pod.getSpec().getContainers().get(0).getName();
        String log = sim.logFile(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
            pod.getMetadata().getUid(), container, 0);
        assertThat(ScenarioHarness.lastLineTime(log)).isBeforeOrEqualTo(eviction.at());
      }

      // the node's events, as the kubelet records them
      List<CoreV1Event> nodeEvents = sim.eventsAbout("default", NODE);
      assertThat(nodeEvents).filteredOn(e -> e.getReason().equals("EvictionThresholdMet")).singleElement()
          .satisfies(e -> {
            assertThat(e.getMessage()).isEqualTo("Attempting to reclaim memory");
            assertThat(e.getCount()).isGreaterThanOrEqualTo(2);
            assertThat(e.getInvolvedObject().getUid()).isEqualTo(NODE);
          });
      assertThat(nodeEvents).extracting(CoreV1Event::getReason)
          .contains("NodeHasInsufficientMemory", "NodeHasSufficientMemory");

      // the kubelet counted them; recovery: condition False, taint gone, replacements running
      assertThat(ScenarioHarness.sample(sim.kubelet(NODE, "/metrics").body(), "kubelet_evictions",
          "eviction_signal=\"memory.available\"")).isEqualTo(2);
      GroundTruth relieved = sim.truth().of(Signal.NODE_CONDITION).get(1);
      assertThat(relieved.reason()).isEqualTo("KubeletHasSufficientMemory");
      node = sim.node(NODE);
      assertThat(condition(node, "MemoryPressure").getStatus()).isEqualTo("False");
      assertThat(node.getSpec().getTaints()).isNullOrEmpty();
      long running = sim.core().listPodForAllNamespaces().fieldSelector("spec.nodeName=" + NODE + ",status.phase=Running")
          .execute().getItems().size();
      assertThat(running).isEqualTo(4);
    }
  }

  static V1NodeCondition condition(V1Node node, String type) {
    return node.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }
}
