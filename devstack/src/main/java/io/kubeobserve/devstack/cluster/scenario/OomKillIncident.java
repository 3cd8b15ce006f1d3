package io.kubeobserve.devstack.cluster.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.PodLifecycle;
import io.kubeobserve.devstack.cluster.Quantities;
import io.kubeobserve.devstack.cluster.kubelet.ContainerUsage;
import io.kubeobserve.devstack.cluster.logs.ContainerLogRef;
import io.kubeobserve.devstack.cluster.logs.LogStream;

/**
 * {@link Action.OomKill}: the container's working set (what the kubelet and cAdvisor report) climbs
 * in six steps to its memory limit while the application logs its memory use, then the kernel kills
 * it: OOMKilled, exit code 137, {@code container_oom_events_total} + 1, restart after the back-off.
 */
final class OomKillIncident {

  private static final int STEPS = 6;

  private OomKillIncident() {}

  static void start(IncidentContext ctx, Action.OomKill action) {
    ObjectNode pod = ctx.runningPod(action.workload(), action.node());
    JsonNode spec = pod.path("spec").path("containers").get(0);
    String container = spec.path("name").asText();
    long limit = Quantities.bytes(spec.path("resources").path("limits").path("memory").asText(""));
    if (limit <= 0) {
      throw new IllegalStateException("workload " + action.workload() + " has no memory limit to be OOM-killed at");
    }
    ContainerUsage usage = ctx.cluster().podLifecycle().usage(pod, container);
    ContainerLogRef log = PodLifecycle.logRef(pod, container);
    long start = Math.min(usage.workingSetBytes(), limit / 2);
    for (int step = 1; step <= STEPS; step++) {
      long workingSet = start + (limit - start) * step / STEPS;
      boolean last = step == STEPS;
      ctx.after(action.climb().multipliedBy(step).dividedBy(STEPS), () -> {
        usage.setWorkingSetBytes(workingSet);
        ctx.cluster().logs().writeLine(log, LogStream.STDOUT, String.format(
            "level=warn msg=\"memory usage high\" working_set_bytes=%d limit_bytes=%d used_percent=%d",
            workingSet, limit, workingSet * 100 / limit));
        if (last) {
          ContainerCrash.kill(ctx, pod, container, "OOMKilled", 137, () -> { });
        }
      });
    }
  }
}
