package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;

/** Measures of a rendered payload that services limit. */
final class JsonText {

  private JsonText() {}

  /** The characters of every string value in {@code node}, at any depth. */
  static int totalText(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue().length();
    }
    int total = 0;
    for (JsonNode child : node) {
      total += totalText(child);
    }
    return total;
  }
}
