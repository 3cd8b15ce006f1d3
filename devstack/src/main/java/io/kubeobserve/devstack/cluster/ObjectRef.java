package io.kubeobserve.devstack.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeobserve.devstack.cluster.api.Json;

/**
 * Which API object something is about, as an Event's {@code involvedObject} names it.
 *
 * @param kind {@code Pod}, {@code Node}, ...
 * @param namespace the namespace, empty for cluster-scoped objects
 * @param name {@code metadata.name}
 * @param uid {@code metadata.uid}
 */
public record ObjectRef(String kind, String namespace, String name, String uid) {

  public ObjectRef {
    requireNonNull(kind, "kind");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(uid, "uid");
  }

  /** The reference of a stored object (its {@code kind}, namespace, name and uid). */
  public static ObjectRef of(JsonNode object) {
    return new ObjectRef(object.path("kind").asText(), Json.meta(object, "namespace"),
        Json.meta(object, "name"), Json.meta(object, "uid"));
  }

  /**
   * The reference the kubelet puts in the events it records about its node: kind Node, the node's
   * name as name and as uid (pkg/kubelet/kubelet.go {@code nodeRef}).
   */
  public static ObjectRef kubeletNodeRef(String nodeName) {
    return new ObjectRef("Node", "", nodeName, nodeName);
  }

  /** {@code kind/namespace/name} or {@code kind/name}. */
  @Override
  public String toString() {
    return kind + "/" + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }
}
