package io.kubeobserve.devstack.cluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in node-pressure scenario (DiskPressure, then PIDPressure), built from the kubelet's documented behaviour. */
class NodePressureScenarioIT {

  @TempDir Path directory;

  @Test
  void diskAndPidPressureSetConditionsTaintsEventsAndEvict() throws Exception {
    try (ScenarioHarness sim = ScenarioHarness.builtIn("node-pressure", directory)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> sim.truth().of(Signal.NODE_CONDITION).size() == 4);
      List<GroundTruth> conditions = sim.truth().of(Signal.NODE_CONDITION);
      assertThat(conditions).extracting(t -> t.detail("condition"), GroundTruth::reason, GroundTruth::node).containsExactly(
          org.assertj.core.groups.Tuple.tuple("DiskPressure", "KubeletHasDiskPressure", "sim-node-1"),
          org.assertj.core.groups.Tuple.tuple("DiskPressure", "KubeletHasNoDiskPressure", "sim-node-1"),
          org.assertj.core.groups.Tuple.tuple("PIDPressure", "KubeletHasInsufficientPID", "sim-node-2"),
          org.assertj.core.groups.Tuple.tuple("PIDPressure", "KubeletHasSufficientPID", "sim-node-2"));
      List<GroundTruth> evictions = sim.truth().of(Signal.POD_EVICTED);
      assertThat(evictions).hasSize(2);
      assertThat(evictions.get(0).message()).startsWith("The node was low on resource: ephemeral-storage. Threshold quantity: ");
      assertThat(evictions.get(0).detail("signal")).isEqualTo("nodefs.available");
      assertThat(evictions.get(1).message()).matches("The node was low on resource: pids\\. Threshold quantity: \\S+, available: \\S+\\. ");
      assertThat(evictions.get(1).detail("signal")).isEqualTo("pid.available");

      for (GroundTruth eviction : evictions) {
        V1Pod pod = sim.pod(eviction.object().namespace(), eviction.object().name());
        assertThat(pod.getStatus().getReason()).isEqualTo("Evicted");
        assertThat(pod.getStatus().getMessage()).isEqualTo(eviction.message());
        assertThat(pod.getStatus().getConditions()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("DisruptionTarget");
          assertThat(c.getReason()).isEqualTo("TerminationByKubelet");
        });
        assertThat(sim.eventsAbout(eviction.object().namespace(), eviction.object().name()))
            .anySatisfy(e -> assertThat(e.getMessage()).isEqualTo(eviction.message()));
      }
      assertThat(ScenarioHarness.sample(sim.kubelet("sim-node-1", "/metrics").body(), "kubelet_evictions",
          "eviction_signal=\"nodefs.available\"")).isEqualTo(1);
      assertThat(ScenarioHarness.sample(sim.kubelet("sim-node-2", "/metrics").body(), "kubelet_evictions",
          "eviction_signal=\"pid.available\"")).isEqualTo(1);

      List<CoreV1Event> disk = sim.eventsAbout("default", "sim-node-1");
      assertThat(disk).extracting(CoreV1Event::getReason).contains("NodeHasDiskPressure", "NodeHasNoDiskPressure",
          "EvictionThresholdMet");
      assertThat(disk).filteredOn(e -> e.getReason().equals("EvictionThresholdMet"))
          .allSatisfy(e -> assertThat(e.getMessage()).isEqualTo("Attempting to reclaim ephemeral-storage"));
      List<CoreV1Event> pid = sim.eventsAbout("default", "sim-node-2");
      assertThat(pid).extracting(CoreV1Event::getReason).contains("NodeHasInsufficientPID", "NodeHasSufficientPID");
      assertThat(pid).filteredOn(e -> e.getReason().equals("EvictionThresholdMet"))
          .allSatisfy(e -> assertThat(e.getMessage()).isEqualTo("Attempting to reclaim pids"));
      assertThat(sim.node("sim-node-1").getSpec().getTaints()).isNullOrEmpty();
      assertThat(EvictionStormScenarioIT.condition(sim.node("sim-node-2"), "PIDPressure").getStatus()).isEqualTo("False");
    }
  }

  @Test
  void underPidPressureTheKubeletReportsFewFreePidsAndTheNodeIsTainted() throws Exception {
    Scenario pid = Scenario.builder("pid-only").nodes(1).podsPerNode(3)
        .step(Duration.ofSeconds(5), new Action.NodePressure(java.util.Optional.empty(), Action.Pressure.PID, 1,
            Duration.ofMinutes(10))).build();
    try (ScenarioHarness sim = new ScenarioHarness(pid, directory, 10)) {
      sim.awaitTruth(t -> t.signal() == Signal.POD_EVICTED);
      assertThat(sim.node("sim-node-1").getSpec().getTaints()).anySatisfy(taint -> {
        assertThat(taint.getKey()).isEqualTo("node.kubernetes.io/pid-pressure");
        assertThat(taint.getEffect()).isEqualTo("NoSchedule");
      });
      var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(sim.kubelet("sim-node-1", "/stats/summary").body());
      long maxPid = summary.path("node").path("rlimit").path("maxpid").asLong();
      long processes = summary.path("node").path("rlimit").path("curproc").asLong();
      assertThat(maxPid - processes).isLessThan(maxPid / 10);
    }
  }
}
