package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * events.k8s.io/v1 Events as a view of the stored core/v1 Events, with the field mapping of the
 * API server's conversion (k8s.io/kubernetes/pkg/apis/events/v1/conversion.go): {@code regarding}
 * is {@code involvedObject}, {@code note} is {@code message}, {@code reportingController} is
 * {@code reportingComponent}, and the old fields become {@code deprecatedSource},
 * {@code deprecatedFirstTimestamp}, {@code deprecatedLastTimestamp}, {@code deprecatedCount}.
 */
final class EventConversion {

  /** core/v1 field name to events.k8s.io/v1 field name; fields not listed keep their name. */
  private static final Map<String, String> CORE_TO_V1 = Map.of(
      "involvedObject", "regarding",
      "message", "note",
      "reportingComponent", "reportingController",
      "source", "deprecatedSource",
      "firstTimestamp", "deprecatedFirstTimestamp",
      "lastTimestamp", "deprecatedLastTimestamp",
      "count", "deprecatedCount");

  private EventConversion() {}

  /** The events.k8s.io/v1 form of a core/v1 Event. */
  static ObjectNode toEventsV1(ObjectNode core) {
    ObjectNode v1 = rename(core, CORE_TO_V1, ResourceType.EVENTS_V1);
    if (!v1.has("eventTime")) {
      v1.putNull("eventTime"); // a zero MicroTime, which the API serializes as null
    }
    return v1;
  }

  /** The core/v1 form of an events.k8s.io/v1 Event. */
  static ObjectNode toCore(ObjectNode v1) {
    Map<String, String> reverse = new java.util.HashMap<>();
    CORE_TO_V1.forEach((core, renamed) -> reverse.put(renamed, core));
    return rename(v1, reverse, ResourceType.EVENTS);
  }

  /** Converts a patch result or body only when it is in the view's shape. */
  static ObjectNode convertOut(ResourceType type, ObjectNode stored) {
    return type.isView() ? toEventsV1(stored) : stored;
  }

  static ObjectNode convertIn(ResourceType type, ObjectNode body) {
    return type.isView() ? toCore(body) : body;
  }

  private static ObjectNode rename(ObjectNode source, Map<String, String> names, ResourceType target) {
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("kind", "Event");
    result.put("apiVersion", target.apiVersion());
    source.fields().forEachRemaining(field -> {
      String name = field.getKey();
      if (name.equals("kind") || name.equals("apiVersion")) {
        return;
      }
      JsonNode value = field.getValue();
      if (value.isNull()) {
        return;
      }
      result.set(names.getOrDefault(name, name), value.deepCopy());
    });
    return result;
  }
}
