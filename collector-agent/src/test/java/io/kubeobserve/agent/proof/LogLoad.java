package io.kubeobserve.agent.proof;

import io.kubeobserve.devstack.cluster.logs.ContainerLogRef;
import io.kubeobserve.devstack.cluster.logs.ContainerLogs;
import io.kubeobserve.devstack.cluster.logs.RotationPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A node's worth of busy containers: {@code containers} containers of namespace {@code namespace}
 * writing CRI logs through devstack's {@link ContainerLogs} at a rate, each until it wrote {@code
 * entries} entries (a tick may overshoot by a few; the {@link GroundTruth} counts what was really
 * written).
 */
final class LogLoad implements AutoCloseable {

  private final ContainerLogs logs;
  private final List<ContainerLogRef> containers = new ArrayList<>();
  private final long entries;

  private LogLoad(ContainerLogs logs, long entries) {
    this.logs = logs;
    this.entries = entries;
  }

  /**
   * Starts writing.
   *
   * @param entriesPerSecond per container
   * @param rotation how the files rotate (keep enough rotated files for the ground truth to read them all)
   */
  static LogLoad start(Path root, String namespace, int containers, long entries, double entriesPerSecond,
      RotationPolicy rotation) {
    LogLoad load = new LogLoad(ContainerLogs.builder(root).linesPerSecond(entriesPerSecond).rotation(rotation)
        .seed(namespace.hashCode()).build(), entries);
    for (int i = 0; i < containers; i++) {
      ContainerLogRef container = new ContainerLogRef(namespace, "app-" + i,
          UUID.nameUUIDFromBytes((namespace + i).getBytes()).toString(), "main");
      load.containers.add(container);
      load.logs.add(container, 0);
    }
    load.logs.start();
    return load;
  }

  /** Whether every container wrote its entries; stops those that did. */
  boolean finished() {
    boolean all = true;
    for (ContainerLogRef container : containers) {
      if (logs.lastSequence(container) >= entries) {
        logs.stop(container);
      } else {
        all = false;
      }
    }
    return all;
  }

  /** Entries written so far, over all containers. */
  long written() {
    return containers.stream().mapToLong(logs::lastSequence).sum();
  }

  @Override
  public void close() {
    logs.close();
  }
}
