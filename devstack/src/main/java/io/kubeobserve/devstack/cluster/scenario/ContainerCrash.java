package io.kubeobserve.devstack.cluster.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.ObjectRef;
import io.kubeobserve.devstack.cluster.PodLifecycle;
import io.kubeobserve.devstack.cluster.api.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A container dies and the kubelet restarts it after its back-off: shared by the OOM kill and the
 * crash loop. Records the termination (with the container's last log lines) and the
 * CrashLoopBackOff wait as ground truth.
 */
final class ContainerCrash {

  private static final int LAST_LINES = 5;

  private ContainerCrash() {}

  /**
   * Kills {@code container} of {@code pod} now and restarts it after the back-off; {@code
   * afterRestart} runs once it runs again.
   *
   * @return the back-off
   */
  static Duration kill(IncidentContext ctx, JsonNode pod, String container, String reason, int exitCode,
      Runnable afterRestart) {
    PodLifecycle pods = ctx.cluster().podLifecycle();
    String namespace = Json.meta(pod, "namespace");
    String name = Json.meta(pod, "name");
    JsonNode before = statusOf(pods.get(namespace, name), container);
    Duration backOff = KubeletBackOff.after(before.path("restartCount").asInt());
    List<String> lastLines = ctx.cluster().logs().lastLines(PodLifecycle.logRef(pod, container), LAST_LINES);
    ObjectNode died = pods.containerDied(namespace, name, container, reason, exitCode, backOff);
    JsonNode status = statusOf(died, container);
    String node = IncidentContext.nodeOf(died);
    String restartCount = status.path("restartCount").asText();
    JsonNode terminated = status.path("lastState").path("terminated");
    ctx.record(Signal.CONTAINER_TERMINATED, ObjectRef.of(died), container, node, reason, "",
        Map.of("exitCode", Integer.toString(exitCode), "restartCount", restartCount,
            "containerID", terminated.path("containerID").asText(), "lastLogLines", String.join("\n", lastLines)));
    JsonNode waiting = status.path("state").path("waiting");
    ctx.record(Signal.CONTAINER_WAITING, ObjectRef.of(died), container, node, waiting.path("reason").asText(),
        waiting.path("message").asText(), Map.of("restartCount", restartCount));
    ctx.after(backOff, () -> {
      pods.containerStarted(namespace, name, container);
      afterRestart.run();
    });
    return backOff;
  }

  static JsonNode statusOf(JsonNode pod, String container) {
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (container.equals(status.path("name").asText())) {
        return status;
      }
    }
    throw new IllegalStateException("pod " + Json.meta(pod, "name") + " has no container " + container);
  }
}
