package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 6902 JSON patch: {@code add}, {@code remove}, {@code replace}, {@code move}, {@code copy}, {@code test}. */
final class JsonPatch {

  private JsonPatch() {}

  static ObjectNode apply(ObjectNode target, JsonNode patch) {
    if (!(patch instanceof ArrayNode operations)) {
      throw StatusException.badRequest("a JSON patch must be an array of operations");
    }
    ObjectNode result = target.deepCopy();
    for (JsonNode operation : operations) {
      String op = operation.path("op").asText();
      String path = operation.path("path").asText();
      switch (op) {
        case "add" -> add(result, path, operation.path("value").deepCopy());
        case "remove" -> remove(result, path);
        case "replace" -> {
          remove(result, path);
          add(result, path, operation.path("value").deepCopy());
        }
        case "move" -> {
          JsonNode value = at(result, operation.path("from").asText()).deepCopy();
          remove(result, operation.path("from").asText());
          add(result, path, value);
        }
        case "copy" -> add(result, path, at(result, operation.path("from").asText()).deepCopy());
        case "test" -> {
          if (!at(result, path).equals(operation.path("value"))) {
            throw new StatusException(422, "Invalid", "the server rejected our request due to an"
                + " error in our request: testing value " + path + " failed", "", "", "");
          }
        }
        default -> throw StatusException.badRequest("unknown JSON patch operation \"" + op + "\"");
      }
    }
    return result;
  }

  private static JsonNode at(JsonNode root, String path) {
    JsonNode node = root.at(JsonPointer.compile(path));
    if (node.isMissingNode()) {
      throw new StatusException(422, "Invalid", "the server rejected our request due to an error in"
          + " our request: doc is missing path: \"" + path + "\"", "", "", "");
    }
    return node;
  }

  private static void add(JsonNode root, String path, JsonNode value) {
    JsonPointer pointer = JsonPointer.compile(path);
    JsonNode parent = at(root, pointer.head().toString());
    String last = pointer.last().getMatchingProperty();
    if (parent instanceof ObjectNode object) {
      object.set(last, value);
    } else if (parent instanceof ArrayNode array) {
      if (last.equals("-")) {
        array.add(value);
      } else {
        array.insert(index(last, array.size()), value);
      }
    } else {
      throw StatusException.badRequest("cannot add at " + path);
    }
  }

  private static void remove(JsonNode root, String path) {
    JsonPointer pointer = JsonPointer.compile(path);
    at(root, path);
    JsonNode parent = at(root, pointer.head().toString());
    String last = pointer.last().getMatchingProperty();
    if (parent instanceof ObjectNode object) {
      object.remove(last);
    } else if (parent instanceof ArrayNode array) {
      array.remove(index(last, array.size() - 1));
    }
  }

  private static int index(String text, int max) {
    try {
      int index = Integer.parseInt(text);
      if (index < 0 || index > max) {
        throw StatusException.badRequest("JSON patch index out of range: " + text);
      }
      return index;
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("bad JSON patch array index: " + text);
    }
  }
}
