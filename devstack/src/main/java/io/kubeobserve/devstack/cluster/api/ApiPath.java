package io.kubeobserve.devstack.cluster.api;

import java.util.ArrayList;
import java.util.List;

/**
 * A resource URL taken apart ({@code RequestInfo} of the API server):
 * {@code /api/v1[/namespaces/<ns>]/<resource>[/<name>[/<subresource>[/<rest>]]]} and the same
 * under {@code /apis/<group>/<version>}.
 *
 * @param type the resource
 * @param namespace the namespace, empty for all namespaces or a cluster-scoped resource
 * @param name the object name, empty for the collection
 * @param subresource {@code status}, {@code log}, {@code proxy} or empty
 * @param rest the path after {@code proxy/} (with a leading slash) or empty
 */
record ApiPath(ResourceType type, String namespace, String name, String subresource, String rest) {

  /** Parses {@code path}; {@code null} when it is not a resource URL this server serves. */
  static ApiPath parse(String path) {
    List<String> parts = new ArrayList<>(List.of(path.replaceAll("^/+", "").split("/", -1)));
    if (!parts.isEmpty() && parts.get(parts.size() - 1).isEmpty()) {
      parts.remove(parts.size() - 1);
    }
    String group;
    String version;
    int index;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      version = parts.get(1);
      index = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      index = 3;
    } else {
      return null;
    }
    String namespace = "";
    List<String> tail = parts.subList(index, parts.size());
    if (tail.size() >= 3 && tail.get(0).equals("namespaces")
        && !(tail.size() == 3 && tail.get(2).equals("status") && group.isEmpty())) {
      namespace = tail.get(1);
      tail = tail.subList(2, tail.size());
    }
    ResourceType type = ResourceType.find(group, version, tail.get(0));
    if (type == null || (!namespace.isEmpty() && !type.namespaced())) {
      return null;
    }
    String name = tail.size() > 1 ? tail.get(1) : "";
    String subresource = tail.size() > 2 ? tail.get(2) : "";
    String rest = "";
    if (subresource.equals("proxy")) {
      rest = "/" + String.join("/", tail.subList(3, tail.size()));
      if (path.endsWith("/") && !rest.endsWith("/")) {
        rest = rest + "/";
      }
    } else if (tail.size() > 3) {
      return null;
    }
    if (!subresource.isEmpty() && !type.hasSubresource(subresource)) {
      return null;
    }
    return new ApiPath(type, namespace, name, subresource, rest);
  }
}
