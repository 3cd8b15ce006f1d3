package io.kubeobserve.devstack.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.ClusterStore;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import io.kubeobserve.devstack.cluster.api.StatusException;
import java.util.function.Consumer;

/**
 * Read-modify-write of stored objects as controllers do it: read the object, change it, write it
 * back with its resourceVersion, and on 409 Conflict (a client changed it in between) read again and
 * retry a bounded number of times.
 */
final class ObjectUpdates {

  private static final int ATTEMPTS = 10;

  private final ClusterStore store;

  ObjectUpdates(ClusterStore store) {
    this.store = store;
  }

  /** Changes the object's {@code status} through the status subresource; returns the stored result. */
  ObjectNode status(ResourceType type, String namespace, String name, Consumer<ObjectNode> change) {
    return write(type, namespace, name, change, true);
  }

  /** Changes the object (not its status), as a PUT does; returns the stored result. */
  ObjectNode object(ResourceType type, String namespace, String name, Consumer<ObjectNode> change) {
    return write(type, namespace, name, change, false);
  }

  private ObjectNode write(ResourceType type, String namespace, String name, Consumer<ObjectNode> change,
      boolean status) {
    StatusException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      ObjectNode object = store.get(type, namespace, name);
      change.accept(object);
      try {
        return status ? store.updateStatus(type, object) : store.update(type, object);
      } catch (StatusException e) {
        if (e.code() != 409) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }
}
