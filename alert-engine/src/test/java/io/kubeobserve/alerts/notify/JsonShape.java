package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The structure of a JSON document as paths with types, such as {@code blocks[].text.type:string},
 * to compare a rendered payload with a documented example: same keys, same types. Objects under a
 * key of {@code mapKeys} (such as {@code labels}) are maps: their keys become {@code *}.
 */
final class JsonShape {

  private JsonShape() {}

  static Set<String> of(JsonNode node, Set<String> mapKeys) {
    Set<String> paths = new TreeSet<>();
    walk(node, "$", false, mapKeys, paths);
    return paths;
  }

  private static void walk(JsonNode node, String path, boolean isMap, Set<String> mapKeys, Set<String> paths) {
    paths.add(path + ":" + type(node));
    if (node.isObject()) {
      node.properties().forEach(field -> walk(field.getValue(), path + "." + (isMap ? "*" : field.getKey()),
          !isMap && mapKeys.contains(field.getKey()), mapKeys, paths));
    } else if (node.isArray()) {
      node.forEach(element -> walk(element, path + "[]", false, mapKeys, paths));
    }
  }

  private static String type(JsonNode node) {
    if (node.isNumber()) {
      return "number";
    }
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
