package io.kubeobserve.router.watch;

import java.time.Instant;

/**
 * A node condition that changed.
 *
 * @param previousStatus empty when the watcher saw the condition for the first time
 */
public record ConditionTransition(String nodeName, String nodeUid, String type, String status,
    String previousStatus, String reason, String message, Instant transitionTime) {

  /** Whether the new status is the troubled one: Ready not True, any other condition True. */
  boolean abnormal() {
    return abnormal(type, status);
  }

  static boolean abnormal(String type, String status) {
    return "Ready".equals(type) ? !"True".equals(status) : "True".equals(status);
  }
}
