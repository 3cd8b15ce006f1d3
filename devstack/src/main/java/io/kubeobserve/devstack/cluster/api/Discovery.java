package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The discovery documents: {@code /version}, {@code /api}, {@code /api/v1}, {@code /apis},
 * {@code /apis/<group>/<version>}. They are the legacy (unaggregated) forms with content type
 * {@code application/json}; kubectl asks for aggregated discovery
 * ({@code as=APIGroupDiscoveryList}) first and falls back to these when the response is plain JSON.
 */
final class Discovery {

  /** The Kubernetes version the simulation claims to be. */
  static final String GIT_VERSION = "v1.32.4";

  private static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final String serverAddress;

  Discovery(String serverAddress) {
    this.serverAddress = serverAddress;
  }

  ObjectNode version() {
    ObjectNode version = Json.MAPPER.createObjectNode();
    version.put("major", "1");
    version.put("minor", "32");
    version.put("gitVersion", GIT_VERSION);
    version.put("gitCommit", "0000000000000000000000000000000000000000");
    version.put("gitTreeState", "clean");
    version.put("buildDate", "2025-04-22T00:00:00Z");
    version.put("goVersion", "go1.23.8");
    version.put("compiler", "gc");
    version.put("platform", "linux/amd64");
    return version;
  }

  ObjectNode coreVersions() {
    ObjectNode versions = Json.MAPPER.createObjectNode();
    versions.put("kind", "APIVersions");
    versions.putArray("versions").add("v1");
    ObjectNode address = versions.putArray("serverAddressByClientCIDRs").addObject();
    address.put("clientCIDR", "0.0.0.0/0");
    address.put("serverAddress", serverAddress);
    return versions;
  }

  ObjectNode groups() {
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    for (String name : groupNames()) {
      groups.add(group(name));
    }
    return list;
  }

  /** {@code /apis/<group>}, or {@code null} when not served. */
  ObjectNode group(String name) {
    if (!groupNames().contains(name)) {
      return null;
    }
    ObjectNode group = Json.MAPPER.createObjectNode();
    group.put("kind", "APIGroup");
    group.put("apiVersion", "v1");
    group.put("name", name);
    ObjectNode version = Json.MAPPER.createObjectNode();
    version.put("groupVersion", name + "/v1");
    version.put("version", "v1");
    group.putArray("versions").add(version);
    group.set("preferredVersion", version.deepCopy());
    return group;
  }

  /** {@code /api/v1} or {@code /apis/<group>/<version>}, or {@code null} when not served. */
  ObjectNode resources(String group, String version) {
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    boolean any = false;
    for (ResourceType type : ResourceType.ALL) {
      if (!type.group().equals(group) || !type.version().equals(version)) {
        continue;
      }
      any = true;
      ObjectNode resource = resources.addObject();
      resource.put("name", type.plural());
      resource.put("singularName", type.singular());
      resource.put("namespaced", type.namespaced());
      resource.put("kind", type.kind());
      ArrayNode verbs = resource.putArray("verbs");
      ALL_VERBS.forEach(verbs::add);
      if (!type.shortNames().isEmpty()) {
        ArrayNode shortNames = resource.putArray("shortNames");
        type.shortNames().forEach(shortNames::add);
      }
      if (type == ResourceType.PODS || type == ResourceType.SERVICES) {
        resource.putArray("categories").add("all");
      }
      for (String subresource : type.subresources()) {
        ObjectNode sub = resources.addObject();
        sub.put("name", type.plural() + "/" + subresource);
        sub.put("singularName", "");
        sub.put("namespaced", type.namespaced());
        ArrayNode subVerbs = sub.putArray("verbs");
        switch (subresource) {
          case "log" -> {
            sub.put("kind", "Pod");
            subVerbs.add("get");
          }
          case "proxy" -> {
            sub.put("kind", "NodeProxyOptions");
            List.of("create", "delete", "get", "patch", "update").forEach(subVerbs::add);
          }
          default -> {
            sub.put("kind", type.kind());
            List.of("get", "patch", "update").forEach(subVerbs::add);
          }
        }
      }
    }
    return any ? list : null;
  }

  private static Set<String> groupNames() {
    Set<String> names = new LinkedHashSet<>();
    for (ResourceType type : ResourceType.ALL) {
      if (!type.group().isEmpty()) {
        names.add(type.group());
      }
    }
    return names;
  }
}
