package io.kubeobserve.devstack.cluster.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.PodLifecycle;
import io.kubeobserve.devstack.cluster.logs.ContainerLogRef;
import io.kubeobserve.devstack.cluster.logs.LogStream;

/**
 * {@link Action.CrashLoop}: the container logs a fatal error and a stack trace and exits with code
 * 1; the kubelet keeps it in CrashLoopBackOff for its doubling back-off (BackOff events counting up),
 * starts it again in a new {@code <restartCount>.log}, and it crashes again after {@code runFor},
 * {@code restarts} times; the last start stays up.
 */
final class CrashLoopIncident {

  private CrashLoopIncident() {}

  static void start(IncidentContext ctx, Action.CrashLoop action) {
    ObjectNode pod = ctx.runningPod(action.workload(), action.node());
    String container = pod.path("spec").path("containers").get(0).path("name").asText();
    crash(ctx, action, pod, container, 1);
  }

  private static void crash(IncidentContext ctx, Action.CrashLoop action, ObjectNode pod, String container, int crash) {
    ContainerLogRef log = PodLifecycle.logRef(pod, container);
    ctx.cluster().logs().writeLine(log, LogStream.STDERR,
        "level=error msg=\"cannot connect to the database\" addr=postgres-0.postgres.data.svc:5432"
            + " error=\"dial tcp 10.96.12.7:5432: connect: connection refused\" attempt=" + crash);
    ctx.cluster().logs().writeStackTrace(log);
    ctx.cluster().logs().writeLine(log, LogStream.STDERR, "level=fatal msg=\"exiting: database unavailable\"");
    ContainerCrash.kill(ctx, pod, container, "Error", 1, () -> {
      if (crash < action.restarts()) {
        ctx.after(action.runFor(), () -> crash(ctx, action, pod, container, crash + 1));
      }
    });
  }
}
