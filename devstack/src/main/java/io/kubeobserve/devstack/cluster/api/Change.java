package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change of the store, as etcd keeps it: the event type, the object after the change (for
 * DELETED, the last state with the deletion's resourceVersion), the object before it (or
 * {@code null} when ADDED) and the global resourceVersion the change got.
 */
record Change(String type, ResourceType resource, ObjectNode object, ObjectNode previous,
    long resourceVersion) {

  static final String ADDED = "ADDED";
  static final String MODIFIED = "MODIFIED";
  static final String DELETED = "DELETED";

  String key() {
    return ClusterStore.key(Json.meta(object, "namespace"), Json.meta(object, "name"));
  }
}
