package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The options of a list or watch call ({@code metav1.ListOptions}), parsed from the query string.
 *
 * @param namespace the namespace of the URL, empty for all namespaces or cluster-scoped resources
 * @param labels {@code labelSelector}
 * @param fields {@code fieldSelector}
 * @param limit {@code limit}, 0 for none
 * @param continueToken {@code continue}, empty for the first page
 * @param resourceVersion {@code resourceVersion}, empty when unset
 * @param resourceVersionMatch {@code resourceVersionMatch}, empty when unset
 */
record ListQuery(String namespace, LabelSelector labels, FieldSelector fields, long limit,
    String continueToken, String resourceVersion, String resourceVersionMatch) {

  static ListQuery parse(ResourceType type, String namespace, Map<String, String> query) {
    long limit;
    try {
      limit = Long.parseLong(query.getOrDefault("limit", "0"));
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("invalid limit: " + query.get("limit"));
    }
    String match = query.getOrDefault("resourceVersionMatch", "");
    if (!match.isEmpty() && !match.equals("Exact") && !match.equals("NotOlderThan")) {
      throw StatusException.badRequest("resourceVersionMatch: Unsupported value: \"" + match
          + "\": supported values: \"Exact\", \"NotOlderThan\"");
    }
    return new ListQuery(namespace, LabelSelector.parse(query.get("labelSelector")),
        FieldSelector.parse(type, query.get("fieldSelector")), Math.max(0, limit),
        query.getOrDefault("continue", ""), query.getOrDefault("resourceVersion", ""), match);
  }

  /** Everything in {@code namespace} (empty for all). */
  static ListQuery all(String namespace) {
    return new ListQuery(namespace, LabelSelector.EVERYTHING, FieldSelector.EVERYTHING, 0, "", "", "");
  }

  boolean hasSelectors() {
    return !labels.isEverything() || !fields.isEverything();
  }

  boolean matches(JsonNode object) {
    return (namespace.isEmpty() || namespace.equals(Json.meta(object, "namespace")))
        && labels.test(object) && fields.test(object);
  }
}
