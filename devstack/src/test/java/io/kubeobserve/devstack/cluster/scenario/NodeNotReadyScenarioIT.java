package io.kubeobserve.devstack.cluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.cluster.api.ResourceType;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Taint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in node-not-ready scenario: Ready False, the kubelet gone, Unknown with the unreachable taints, back. */
class NodeNotReadyScenarioIT {

  private static final String NODE = "sim-node-2";

  @TempDir Path directory;

  @Test
  void theNodeGoesNotReadyThenUnknownThenReady() throws Exception {
    try (ScenarioHarness sim = ScenarioHarness.builtIn("node-not-ready", directory, 20)) {
      GroundTruth notReady = sim.awaitTruth(t -> t.detail("condition").equals("Ready"));
      assertThat(notReady.detail("status")).isEqualTo("False");
      assertThat(notReady.reason()).isEqualTo("KubeletNotReady");
      assertThat(notReady.node()).isEqualTo(NODE);

      GroundTruth unknown = sim.awaitTruth(t -> t.detail("condition").equals("Ready") && t.detail("status").equals("Unknown"));
      assertThat(Duration.between(notReady.at(), unknown.at())).isBetween(Duration.ofSeconds(44), Duration.ofSeconds(55));
      V1Node node = sim.node(NODE);
      for (String type : List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")) {
        assertThat(EvictionStormScenarioIT.condition(node, type)).satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("Unknown");
          assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
          assertThat(c.getMessage()).isEqualTo("Kubelet stopped posting node status.");
        });
      }
      assertThat(node.getSpec().getTaints()).extracting(V1Taint::getKey, V1Taint::getEffect).containsExactlyInAnyOrder(
          Tuple.tuple("node.kubernetes.io/unreachable", "NoSchedule"),
          Tuple.tuple("node.kubernetes.io/unreachable", "NoExecute"));
      assertThat(sim.kubelet(NODE, "/stats/summary").statusCode()).as("the kubelet does not answer").isEqualTo(503);
      assertThat(sim.core().listPodForAllNamespaces().fieldSelector("spec.nodeName=" + NODE).execute().getItems())
          .allSatisfy(pod -> assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("False");
          }));
      var lease = sim.cluster().store().get(ResourceType.LEASES, "kube-node-lease", NODE);
      java.time.Instant renewed = java.time.Instant.parse(lease.path("spec").path("renewTime").asText());
      assertThat(renewed).as("the lease is not renewed").isBefore(unknown.at().minusSeconds(30));
      List<CoreV1Event> events = sim.eventsAbout("default", NODE);
      String nodeUid = node.getMetadata().getUid();
      assertThat(events).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("NodeNotReady");
        assertThat(e.getSource().getComponent()).isEqualTo("node-controller");
        assertThat(e.getInvolvedObject().getUid()).isEqualTo(nodeUid);
      });
      assertThat(events).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("NodeNotReady");
        assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
      });

      sim.awaitTruth(t -> t.detail("condition").equals("Ready") && t.detail("status").equals("True"));
      node = sim.node(NODE);
      assertThat(EvictionStormScenarioIT.condition(node, "Ready").getReason()).isEqualTo("KubeletReady");
      assertThat(node.getSpec().getTaints()).isNullOrEmpty();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(sim.kubelet(NODE, "/stats/summary").statusCode()).isEqualTo(200));
      assertThat(sim.truth().of(Signal.NODE_CONDITION)).hasSize(1 + 4 + 4);
    }
  }
}
