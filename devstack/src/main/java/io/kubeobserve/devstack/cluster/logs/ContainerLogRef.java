package io.kubeobserve.devstack.cluster.logs;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A container whose logs are written: the names of its log directory {@code
 * <root>/<namespace>_<pod>_<uid>/<container>/}.
 */
public record ContainerLogRef(String namespace, String pod, String uid, String container) {

  public ContainerLogRef {
    requireNonNull(namespace, "namespace");
    requireNonNull(pod, "pod");
    requireNonNull(uid, "uid");
    requireNonNull(container, "container");
  }

  /** {@code namespace/pod/container}: the container part of the {@link LogLineMarker}. */
  public String key() {
    return namespace + "/" + pod + "/" + container;
  }

  /** The container's log directory under {@code root}. */
  public Path directory(Path root) {
    return root.resolve(namespace + "_" + pod + "_" + uid).resolve(container);
  }
}
