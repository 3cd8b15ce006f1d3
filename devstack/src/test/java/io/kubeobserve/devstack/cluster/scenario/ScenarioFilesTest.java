package io.kubeobserve.devstack.cluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioFilesTest {

  static java.util.List<String> builtIns() {
    return Scenarios.BUILT_IN;
  }

  @ParameterizedTest
  @MethodSource("builtIns")
  void everyBuiltInLoads(String name) {
    Scenario scenario = Scenarios.builtIn(name);
    assertThat(scenario.name()).isEqualTo(name);
    assertThat(scenario.description()).isNotBlank();
  }

  @Test
  void theYamlFormAndTheJavaApiGiveTheSameScenario() {
    Scenario java = Scenario.builder("oom-kill").description("The checkout container's working set climbs to its"
            + " 512Mi limit over 30 s while it logs its memory use; the kernel kills it (OOMKilled, exit code 137,"
            + " container_oom_events_total + 1); the kubelet backs off 10 s (CrashLoopBackOff, a BackOff event) and"
            + " starts it again in 1.log.")
        .step(Duration.ofSeconds(20), new Action.OomKill("shop/checkout", Optional.empty(), Duration.ofSeconds(30)))
        .build();
    assertThat(Scenarios.builtIn("oom-kill")).isEqualTo(java);
  }

  @Test
  void theNodePressureScenarioSaysItHasNoRecordedFixture() {
    assertThat(Scenarios.builtIn("node-pressure").description()).contains("No recorded fixture");
    assertThat(Scenarios.builtIn("node-pressure").steps()).extracting(s -> ((Action.NodePressure) s.action()).pressure())
        .containsExactly(Action.Pressure.DISK, Action.Pressure.PID);
  }

  @Test
  void aFileLoadsByPath(@TempDir Path directory) throws Exception {
    Path file = Files.writeString(directory.resolve("mine.yaml"), """
        name: mine
        nodes: 1
        podsPerNode: 2
        steps:
          - at: 90s
            action: node-pressure
            pressure: pid
          - at: 500ms
            action: crashloop
            restarts: 2
        """);
    Scenario scenario = Scenarios.load(file.toString());
    assertThat(scenario.nodes()).isEqualTo(1);
    assertThat(scenario.steps()).extracting(Step::at).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(90));
    assertThat(scenario.steps().get(0).action()).isEqualTo(
        new Action.CrashLoop("payments/api", Optional.empty(), 2, Duration.ofSeconds(10)));
  }

  @Test
  void mistakesNameWhereTheyAre() {
    assertThatThrownBy(() -> ScenarioFiles.parse("name: x\nstep: []\n", "f.yaml"))
        .hasMessageContaining("scenario f.yaml: step: unknown key");
    assertThatThrownBy(() -> ScenarioFiles.parse("name: x\nsteps:\n  - at: 1s\n    action: oom-kill\n    pods: 2\n", "f.yaml"))
        .hasMessageContaining("steps[0].pods: unknown key");
    assertThatThrownBy(() -> ScenarioFiles.parse("name: x\nsteps:\n  - at: soon\n    action: crashloop\n", "f.yaml"))
        .hasMessageContaining("steps[0].at: expected a duration");
    assertThatThrownBy(() -> ScenarioFiles.parse("name: x\nsteps:\n  - at: 1s\n    action: explode\n", "f.yaml"))
        .hasMessageContaining("steps[0].action: unknown action 'explode'");
    assertThatThrownBy(() -> ScenarioFiles.parse("name: x\nsteps:\n  - at: 1s\n    action: node-pressure\n", "f.yaml"))
        .hasMessageContaining("steps[0].pressure: required");
    assertThatThrownBy(() -> Scenarios.load("no-such-scenario"))
        .hasMessageContaining("neither a built-in scenario");
  }
}
