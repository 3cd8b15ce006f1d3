package io.kubeobserve.devstack.cluster.scenario;

import static java.util.Objects.requireNonNull;

import io.kubeobserve.devstack.cluster.ObjectRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One thing that happened in a scenario, recorded when the cluster changed, for tests to compare
 * with what the API, the kubelets, the logs and later the pipeline report.
 *
 * @param step the scenario step that caused it ({@code oom-kill}, ...)
 * @param signal what kind of thing happened
 * @param object the object it happened to (the Pod, or the Node with its real uid)
 * @param container the container, empty for pod and node signals
 * @param node the node it happened on
 * @param reason the reason as the API shows it ({@code OOMKilled}, {@code CrashLoopBackOff},
 *     {@code Evicted}, {@code KubeletHasInsufficientMemory}, {@code NodeStatusUnknown}, ...)
 * @param message the message as the API shows it (the eviction message, the condition message,
 *     the back-off message), empty when there is none
 * @param at the scenario time it happened
 * @param offset how long after the scenario started
 * @param details further facts by name: {@code exitCode}, {@code restartCount}, {@code containerID},
 *     {@code lastLogLines} (newline-separated) for containers; {@code condition}, {@code status},
 *     {@code previousStatus} for node conditions; {@code signal} (eviction signal) for evictions
 */
public record GroundTruth(String step, Signal signal, ObjectRef object, String container, String node, String reason,
    String message, Instant at, Duration offset, Map<String, String> details) {

  public GroundTruth {
    requireNonNull(step, "step");
    requireNonNull(signal, "signal");
    requireNonNull(object, "object");
    requireNonNull(container, "container");
    requireNonNull(node, "node");
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
    requireNonNull(at, "at");
    requireNonNull(offset, "offset");
    details = Map.copyOf(details);
  }

  /** A detail, or empty. */
  public String detail(String name) {
    return details.getOrDefault(name, "");
  }

  /** One line: offset, signal, object, reason, and the main details. */
  public String summary() {
    StringBuilder line = new StringBuilder();
    long seconds = offset.toSeconds();
    line.append(String.format("+%dm%02ds  %-20s %s", seconds / 60, seconds % 60, signal, object));
    if (!container.isEmpty()) {
      line.append(" [").append(container).append(']');
    }
    line.append(" on ").append(node).append(": ").append(reason);
    if (details.containsKey("condition")) {
      line.append(" (").append(detail("condition")).append(' ').append(detail("previousStatus")).append(" -> ")
          .append(detail("status")).append(')');
    }
    if (details.containsKey("restartCount")) {
      line.append(" restartCount=").append(detail("restartCount"));
    }
    if (details.containsKey("exitCode")) {
      line.append(" exitCode=").append(detail("exitCode"));
    }
    if (signal == Signal.POD_EVICTED) {
      line.append(": ").append(message.strip());
    }
    return line.toString();
  }
}
