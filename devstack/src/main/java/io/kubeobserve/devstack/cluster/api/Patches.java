package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The patch formats of the API server's PATCH verb: JSON merge patch (RFC 7386), strategic merge
 * patch and JSON patch (RFC 6902, see {@link JsonPatch}).
 *
 * <p>The strategic merge patch knows the merge keys of the lists status and metadata patches use
 * (from the {@code patchMergeKey} tags of k8s.io/api): {@code conditions} by {@code type},
 * {@code containerStatuses} and containers by {@code name}, {@code addresses} by {@code type},
 * {@code ownerReferences} by {@code uid}, and {@code finalizers} as a merged set. Other lists are
 * replaced, as for types without merge keys. The directives {@code $patch: delete|replace} are
 * honored; {@code $setElementOrder/...} and {@code $retainKeys} are accepted and ignored.
 */
final class Patches {

  /** The patch content types. */
  enum Type {
    MERGE("application/merge-patch+json"),
    STRATEGIC("application/strategic-merge-patch+json"),
    JSON("application/json-patch+json");

    private final String contentType;

    Type(String contentType) {
      this.contentType = contentType;
    }

    static Type of(String contentType) {
      String bare = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
      for (Type type : values()) {
        if (type.contentType.equals(bare)) {
          return type;
        }
      }
      throw StatusException.unsupportedMediaType(bare);
    }
  }

  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("conditions", "type"),
      Map.entry("containerStatuses", "name"),
      Map.entry("initContainerStatuses", "name"),
      Map.entry("ephemeralContainerStatuses", "name"),
      Map.entry("containers", "name"),
      Map.entry("initContainers", "name"),
      Map.entry("env", "name"),
      Map.entry("volumes", "name"),
      Map.entry("volumeMounts", "mountPath"),
      Map.entry("addresses", "type"),
      Map.entry("ownerReferences", "uid"),
      Map.entry("podIPs", "ip"),
      Map.entry("hostIPs", "ip"),
      Map.entry("resourceClaimStatuses", "name"));

  private Patches() {}

  /** Applies {@code patch} of {@code type} to a copy of {@code target}. */
  static ObjectNode apply(Type type, ObjectNode target, byte[] patch) {
    return switch (type) {
      case MERGE -> mergePatch(target, Json.parseObject(patch));
      case STRATEGIC -> strategicMergePatch(target, Json.parseObject(patch));
      case JSON -> JsonPatch.apply(target, Json.parse(patch));
    };
  }

  /** RFC 7386 JSON merge patch on a copy of {@code target}. */
  static ObjectNode mergePatch(ObjectNode target, ObjectNode patch) {
    ObjectNode result = target.deepCopy();
    merge(result, patch, false);
    return result;
  }

  /** A strategic merge patch on a copy of {@code target}. */
  static ObjectNode strategicMergePatch(ObjectNode target, ObjectNode patch) {
    ObjectNode result = target.deepCopy();
    merge(result, patch, true);
    return result;
  }

  private static void merge(ObjectNode target, ObjectNode patch, boolean strategic) {
    if (strategic && "replace".equals(patch.path("$patch").asText())) {
      target.removeAll();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (strategic && name.startsWith("$")) {
        continue;
      }
      if (strategic && name.startsWith("$deleteFromPrimitiveList/")) {
        continue;
      }
      if (value.isNull()) {
        target.remove(name);
      } else if (value instanceof ObjectNode patchObject) {
        if (strategic && "delete".equals(patchObject.path("$patch").asText())) {
          target.remove(name);
          continue;
        }
        JsonNode existing = target.get(name);
        ObjectNode child = existing instanceof ObjectNode object ? object : target.putObject(name);
        merge(child, patchObject, strategic);
      } else if (strategic && value instanceof ArrayNode patchList && MERGE_KEYS.containsKey(name)
          && target.get(name) instanceof ArrayNode existing) {
        target.set(name, mergeList(existing, patchList, MERGE_KEYS.get(name)));
      } else if (strategic && value instanceof ArrayNode patchList && name.equals("finalizers")
          && target.get(name) instanceof ArrayNode existing) {
        ArrayNode merged = existing.deepCopy();
        for (JsonNode item : patchList) {
          if (!contains(merged, item)) {
            merged.add(item);
          }
        }
        target.set(name, merged);
      } else {
        target.set(name, stripDirectives(value.deepCopy()));
      }
    }
  }

  private static ArrayNode mergeList(ArrayNode existing, ArrayNode patch, String key) {
    ArrayNode merged = existing.deepCopy();
    for (JsonNode item : patch) {
      if (item instanceof ObjectNode patchItem && "replace".equals(patchItem.path("$patch").asText())
          && patchItem.size() == 1) {
        merged.removeAll();
        continue;
      }
      if (!(item instanceof ObjectNode patchItem) || !patchItem.has(key)) {
        merged.add(stripDirectives(item.deepCopy()));
        continue;
      }
      String keyValue = patchItem.get(key).asText();
      int index = indexOf(merged, key, keyValue);
      boolean delete = "delete".equals(patchItem.path("$patch").asText());
      if (delete) {
        if (index >= 0) {
          merged.remove(index);
        }
      } else if (index >= 0) {
        merge((ObjectNode) merged.get(index), patchItem, true);
      } else {
        merged.add(stripDirectives(patchItem.deepCopy()));
      }
    }
    return merged;
  }

  private static int indexOf(ArrayNode list, String key, String value) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).path(key).asText("\u0000").equals(value)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(ArrayNode list, JsonNode item) {
    for (JsonNode element : list) {
      if (element.equals(item)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode stripDirectives(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(object.properties().stream().map(Map.Entry::getKey)
          .filter(name -> name.startsWith("$")).toList());
      object.forEach(Patches::stripDirectives);
    } else if (node instanceof ArrayNode array) {
      array.forEach(Patches::stripDirectives);
    }
    return node;
  }
}
