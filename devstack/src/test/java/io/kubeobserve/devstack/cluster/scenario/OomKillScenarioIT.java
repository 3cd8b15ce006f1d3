package io.kubeobserve.devstack.cluster.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.cluster.ObjectRef;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in oom-kill scenario: API objects, events, kubelet payloads and logs agree with the ground truth. */
class OomKillScenarioIT {

  @TempDir Path directory;

  @Test
  void theOomKillShowsEverywhereAsItsGroundTruthSays() throws Exception {
    try (ScenarioHarness sim = ScenarioHarness.builtIn("oom-kill", directory)) {
      GroundTruth killed = sim.awaitTruth(t -> t.signal() == Signal.CONTAINER_TERMINATED);
      ObjectRef pod = killed.object();
      assertThat(killed.reason()).isEqualTo("OOMKilled");
      assertThat(killed.container()).isEqualTo("checkout");
      assertThat(killed.detail("exitCode")).isEqualTo("137");
      assertThat(killed.detail("restartCount")).isEqualTo("1");
      assertThat(killed.offset()).isBetween(Duration.ofSeconds(49), Duration.ofSeconds(60));
      GroundTruth waiting = sim.awaitTruth(t -> t.signal() == Signal.CONTAINER_WAITING);
      assertThat(waiting.reason()).isEqualTo("CrashLoopBackOff");
      assertThat(waiting.object()).isEqualTo(pod);

      // the API, as a client reads it: lastState OOMKilled 137, restartCount 1, then running again
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(status(sim.pod(pod.namespace(), pod.name())).getState().getRunning()).isNotNull());
      V1Pod current = sim.pod(pod.namespace(), pod.name());
      assertThat(current.getMetadata().getUid()).isEqualTo(pod.uid());
      assertThat(current.getSpec().getNodeName()).isEqualTo(killed.node());
      assertThat(current.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("ReplicaSet");
      V1ContainerStatus status = status(current);
      assertThat(status.getRestartCount()).isEqualTo(1);
      assertThat(status.getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
      assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(137);
      assertThat(status.getLastState().getTerminated().getContainerID()).isEqualTo(killed.detail("containerID"));
      assertThat(status.getContainerID()).isNotEqualTo(killed.detail("containerID"));

      // events: the kubelet's BackOff about the container
      List<CoreV1Event> events = sim.eventsAbout(pod.namespace(), pod.name());
      assertThat(events).anySatisfy(event -> {
        assertThat(event.getReason()).isEqualTo("BackOff");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getSource().getComponent()).isEqualTo("kubelet");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(pod.uid());
        assertThat(event.getInvolvedObject().getFieldPath()).isEqualTo("spec.containers{checkout}");
        assertThat(event.getMessage()).isEqualTo("Back-off restarting failed container checkout in pod "
            + pod.name() + "_" + pod.namespace() + "(" + pod.uid() + ")");
        assertThat(event.getCount()).isEqualTo(1);
      });

      // the kubelet, over HTTPS through nodes/proxy: the OOM event counted for the running container
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        String cadvisor = sim.kubelet(killed.node(), "/metrics/cadvisor").body();
        assertThat(ScenarioHarness.sample(cadvisor, "container_oom_events_total", "container=\"checkout\"",
            "pod=\"" + pod.name() + "\"")).isEqualTo(1);
      });
      String summary = sim.kubelet(killed.node(), "/stats/summary").body();
      assertThat(summary).contains("\"uid\":\"" + pod.uid() + "\"");

      // the logs: the last lines before the kill are the end of 0.log; the new instance writes 1.log
      String previous = sim.logFile(pod.namespace(), pod.name(), pod.uid(), "checkout", 0);
      List<String> lastLines = List.of(killed.detail("lastLogLines").split("\n"));
      assertThat(lastLines).last().asString().contains("memory usage high").contains("used_percent=100");
      for (String line : lastLines) {
        assertThat(previous).contains(line);
      }
      assertThat(previous.strip()).endsWith(lastLines.get(lastLines.size() - 1));
      assertThat(sim.core().readNamespacedPodLog(pod.name(), pod.namespace()).previous(true).execute())
          .contains(lastLines.get(lastLines.size() - 1));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(sim.logFile(pod.namespace(), pod.name(), pod.uid(), "checkout", 1)).isNotEmpty());
    }
  }

  private static V1ContainerStatus status(V1Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0);
  }
}
