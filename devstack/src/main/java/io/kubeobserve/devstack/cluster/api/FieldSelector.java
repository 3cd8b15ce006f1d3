package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A field selector ({@code ?fieldSelector=}): comma-separated {@code field=value},
 * {@code field==value} and {@code field!=value}, over the fields each resource supports in the
 * real API server (its {@code GetAttrs}/field label conversion); other fields are a 400.
 */
final class FieldSelector implements Predicate<JsonNode> {

  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");

  /** Fields per resource besides {@link #COMMON}, as the API server's field label conversions. */
  private static final Map<String, Set<String>> SUPPORTED = Map.of(
      "pods", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
          "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP",
          "status.nominatedNodeName"),
      "nodes", Set.of("spec.unschedulable"),
      "events", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
          "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
          "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
      "namespaces", Set.of("status.phase"));

  /** events.k8s.io names of the same event fields. */
  private static final Map<String, String> EVENTS_V1_ALIASES = Map.of(
      "regarding.kind", "involvedObject.kind",
      "regarding.namespace", "involvedObject.namespace",
      "regarding.name", "involvedObject.name",
      "regarding.uid", "involvedObject.uid",
      "regarding.apiVersion", "involvedObject.apiVersion",
      "regarding.resourceVersion", "involvedObject.resourceVersion",
      "regarding.fieldPath", "involvedObject.fieldPath",
      "reportingController", "reportingComponent",
      "deprecatedSource", "source");

  private record Requirement(String field, boolean equal, String value) {}

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /** Parses {@code selector} for {@code type} (its storage form); unsupported fields are a 400. */
  static FieldSelector parse(ResourceType type, String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String term : selector.split(",")) {
      String field;
      String value;
      boolean equal;
      int notEquals = term.indexOf("!=");
      int equals = term.indexOf('=');
      if (notEquals > 0) {
        field = term.substring(0, notEquals);
        value = term.substring(notEquals + 2);
        equal = false;
      } else if (equals > 0) {
        field = term.substring(0, equals);
        value = term.substring(term.startsWith("==", equals) ? equals + 2 : equals + 1);
        equal = true;
      } else {
        throw StatusException.badRequest("invalid field selector: " + selector);
      }
      field = field.trim();
      if (type.isView()) {
        field = EVENTS_V1_ALIASES.getOrDefault(field, field);
      }
      if (!COMMON.contains(field)
          && !SUPPORTED.getOrDefault(type.storage().plural(), Set.of()).contains(field)) {
        throw StatusException.badRequest("field label not supported: " + field);
      }
      requirements.add(new Requirement(field, equal, value.trim()));
    }
    return new FieldSelector(List.copyOf(requirements));
  }

  boolean isEverything() {
    return requirements.isEmpty();
  }

  /** The value a selector requires for {@code field}, for index-like shortcuts; or {@code null}. */
  String requiredValue(String field) {
    for (Requirement requirement : requirements) {
      if (requirement.equal && requirement.field.equals(field)) {
        return requirement.value;
      }
    }
    return null;
  }

  @Override
  public boolean test(JsonNode object) {
    for (Requirement requirement : requirements) {
      boolean same = value(object, requirement.field).equals(requirement.value);
      if (same != requirement.equal) {
        return false;
      }
    }
    return true;
  }

  /** The selectable value of {@code field}: absent fields are empty, booleans {@code false}. */
  static String value(JsonNode object, String field) {
    if (field.equals("source")) {
      return object.path("source").path("component").asText("");
    }
    JsonNode node = object;
    for (String part : field.split("\\.")) {
      node = node.path(part);
    }
    if (node.isMissingNode() || node.isNull()) {
      return field.equals("spec.unschedulable") || field.equals("spec.hostNetwork") ? "false" : "";
    }
    return node.asText();
  }

  @Override
  public String toString() {
    return requirements.toString();
  }
}
