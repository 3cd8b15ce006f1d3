package io.kubeobserve.devstack.cluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.cluster.ObjectRef;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in crashloop scenario: restart counts, back-off waits, BackOff counts, kubelet containers and log files. */
class CrashLoopScenarioIT {

  @TempDir Path directory;

  @Test
  void eachCrashShowsInTheApiTheEventsTheKubeletAndANewLogFile() throws Exception {
    try (ScenarioHarness sim = ScenarioHarness.builtIn("crashloop", directory)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> sim.truth().of(Signal.CONTAINER_TERMINATED).size() == 4);
      List<GroundTruth> crashes = sim.truth().of(Signal.CONTAINER_TERMINATED);
      List<GroundTruth> waits = sim.truth().of(Signal.CONTAINER_WAITING);
      ObjectRef pod = crashes.get(0).object();
      for (int i = 0; i < 4; i++) {
        assertThat(crashes.get(i).object()).isEqualTo(pod);
        assertThat(crashes.get(i).reason()).isEqualTo("Error");
        assertThat(crashes.get(i).detail("exitCode")).isEqualTo("1");
        assertThat(crashes.get(i).detail("restartCount")).isEqualTo(Integer.toString(i + 1));
        assertThat(crashes.get(i).detail("lastLogLines")).contains("level=fatal msg=\"exiting: database unavailable\"");
        assertThat(waits.get(i).reason()).isEqualTo("CrashLoopBackOff");
        assertThat(waits.get(i).message()).isEqualTo("back-off " + (10 << i) + "s restarting failed container=api pod="
            + pod.name() + "_" + pod.namespace() + "(" + pod.uid() + ")");
      }
      assertThat(Duration.between(crashes.get(2).at(), crashes.get(3).at()))
          .as("back-off 40 s and 10 s of running between the third and fourth crash").isBetween(
              Duration.ofSeconds(48), Duration.ofSeconds(60));

      // the API: running again after the last back-off, restartCount 4, lastState the fourth crash
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(status(sim, pod).getState().getRunning()).isNotNull());
      V1ContainerStatus status = status(sim, pod);
      assertThat(status.getRestartCount()).isEqualTo(4);
      assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("Error");
      assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
      assertThat(status.getLastState().getTerminated().getContainerID()).isEqualTo(crashes.get(3).detail("containerID"));

      // events: one BackOff event whose count went up with each crash, as the kubelet's recorder does
      List<CoreV1Event> events = sim.eventsAbout(pod.namespace(), pod.name());
      assertThat(events).filteredOn(event -> event.getReason().equals("BackOff")).singleElement().satisfies(event -> {
        assertThat(event.getCount()).isEqualTo(4);
        assertThat(event.getLastTimestamp()).isAfter(event.getFirstTimestamp());
      });
      assertThat(events).filteredOn(event -> event.getReason().equals("Started")).singleElement()
          .satisfies(event -> assertThat(event.getCount()).isEqualTo(4));

      // the kubelet serves the new container instance (its id in cAdvisor's series)
      String containerId = status.getContainerID().substring("containerd://".length());
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(sim.kubelet(crashes.get(0).node(), "/metrics/cadvisor").body()).contains(containerId));

      // logs: the fourth instance's 3.log ends with the lines before its crash; the fifth writes 4.log
      String third = sim.logFile(pod.namespace(), pod.name(), pod.uid(), "api", 3);
      for (String line : crashes.get(3).detail("lastLogLines").split("\n")) {
        assertThat(third).contains(line);
      }
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(sim.logFile(pod.namespace(), pod.name(), pod.uid(), "api", 4)).isNotEmpty());
    }
  }

  private static V1ContainerStatus status(ScenarioHarness sim, ObjectRef pod) throws Exception {
    return sim.pod(pod.namespace(), pod.name()).getStatus().getContainerStatuses().get(0);
  }
}
