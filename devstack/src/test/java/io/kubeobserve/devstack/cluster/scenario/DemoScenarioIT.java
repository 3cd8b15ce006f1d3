package io.kubeobserve.devstack.cluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo scenario plays every incident in sequence. */
class DemoScenarioIT {

  @TempDir Path directory;

  @Test
  void everyIncidentHappensInOrder() {
    try (ScenarioHarness sim = ScenarioHarness.builtIn("demo", directory, 120)) {
      await().atMost(Duration.ofSeconds(40)).until(() -> sim.truth().matching(t -> t.step().equals("node-not-ready")
          && t.detail("condition").equals("Ready") && t.detail("status").equals("True")).size() == 1);
      List<String> steps = sim.truth().all().stream().map(GroundTruth::step).distinct().toList();
      assertThat(steps).containsExactly("oom-kill", "crashloop", "eviction-storm", "node-pressure", "node-not-ready");
      assertThat(sim.truth().of(Signal.CONTAINER_TERMINATED)).extracting(GroundTruth::reason)
          .containsExactly("OOMKilled", "Error", "Error", "Error");
      assertThat(sim.truth().of(Signal.POD_EVICTED)).extracting(t -> t.detail("signal"))
          .containsExactly("memory.available", "memory.available", "nodefs.available", "pid.available");
      assertThat(sim.truth().of(Signal.NODE_CONDITION)).extracting(t -> t.detail("condition") + "=" + t.detail("status"))
          .startsWith("MemoryPressure=True", "MemoryPressure=False", "DiskPressure=True", "DiskPressure=False",
              "PIDPressure=True", "PIDPressure=False", "Ready=False", "Ready=Unknown");
      assertThat(sim.truth().all()).isSortedAccordingTo((a, b) -> a.at().compareTo(b.at()));
    }
  }
}
