package io.kubeobserve.devstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.Json;
import java.time.Instant;

/**
 * Sets entries of {@code status.conditions} as the kubelet and controllers do: the condition keeps
 * its {@code lastTransitionTime} unless its status changes; node conditions also get a new
 * {@code lastHeartbeatTime} (kept when {@code heartbeat} is false, as the node controller does when
 * it marks a silent node Unknown).
 */
final class Conditions {

  private Conditions() {}

  /** Sets a condition of {@code status} (creating it at the end when missing); returns whether its status changed. */
  static boolean set(ObjectNode status, String type, String value, String reason, String message, Instant now,
      boolean nodeHeartbeat) {
    ArrayNode conditions = status.has("conditions") ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
    ObjectNode condition = null;
    for (JsonNode entry : conditions) {
      if (type.equals(entry.path("type").asText())) {
        condition = (ObjectNode) entry;
      }
    }
    if (condition == null) {
      condition = conditions.addObject().put("type", type);
    }
    boolean changed = !value.equals(condition.path("status").asText());
    condition.put("status", value);
    if (reason == null) {
      condition.remove(java.util.List.of("reason", "message"));
    } else {
      condition.put("reason", reason).put("message", message);
    }
    if (nodeHeartbeat) {
      condition.put("lastHeartbeatTime", Json.time(now));
    }
    if (changed || !condition.has("lastTransitionTime")) {
      condition.put("lastTransitionTime", Json.time(now));
    }
    return changed;
  }

  /** The status of condition {@code type}, or empty. */
  static String status(JsonNode object, String type) {
    for (JsonNode entry : object.path("status").path("conditions")) {
      if (type.equals(entry.path("type").asText())) {
        return entry.path("status").asText();
      }
    }
    return "";
  }
}
