package io.kubeobserve.devstack.cluster.kubelet;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a simulated kubelet needs to know of one pod: its identity, its containers and its volumes.
 * Built from a {@code v1.Pod} by whoever owns the pods (the API server store).
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param uid {@code metadata.uid}
 * @param containers {@code spec.containers} joined with their {@code status.containerStatuses}
 * @param volumes {@code spec.volumes} (name, and the claim for persistentVolumeClaim volumes)
 */
public record PodView(String namespace, String name, String uid, List<ContainerView> containers, List<VolumeView> volumes) {

  public PodView {
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(uid, "uid");
    containers = List.copyOf(containers);
    volumes = List.copyOf(volumes);
  }

  /** A pod without volumes. */
  public static PodView of(String namespace, String name, String uid, List<ContainerView> containers) {
    return new PodView(namespace, name, uid, containers, List.of());
  }

  /** The QoS class the kubelet derives from limits (requests are taken to equal limits here). */
  public QosClass qosClass() {
    boolean anyLimit = containers.stream().anyMatch(c -> c.limits().cpuMillis() > 0 || c.limits().memoryBytes() > 0);
    boolean allLimits = !containers.isEmpty()
        && containers.stream().allMatch(c -> c.limits().cpuMillis() > 0 && c.limits().memoryBytes() > 0);
    return allLimits ? QosClass.GUARANTEED : anyLimit ? QosClass.BURSTABLE : QosClass.BEST_EFFORT;
  }

  /** The pod's QoS class, which decides its cgroup parent ({@code /kubepods[/burstable|/besteffort]}). */
  public enum QosClass {
    GUARANTEED(""),
    BURSTABLE("burstable"),
    BEST_EFFORT("besteffort");

    private final String cgroupSegment;

    QosClass(String cgroupSegment) {
      this.cgroupSegment = cgroupSegment;
    }

    /** The pod's cgroup path as cAdvisor reports it in the {@code id} label. */
    public String podCgroup(String uid) {
      return cgroupSegment.isEmpty() ? "/kubepods/pod" + uid : "/kubepods/" + cgroupSegment + "/pod" + uid;
    }
  }

  /**
   * One container of the pod.
   *
   * @param name the container's name
   * @param image the image reference ({@code docker.io/library/nginx:1.25})
   * @param restartCount {@code status.containerStatuses[].restartCount}
   * @param state the current state ({@code running}, {@code waiting}, {@code terminated})
   * @param limits {@code resources.limits}; zero where none is set
   */
  public record ContainerView(String name, String image, int restartCount, ContainerState state, Limits limits) {

    public ContainerView {
      requireNonNull(name, "name");
      requireNonNull(image, "image");
      requireNonNull(state, "state");
      requireNonNull(limits, "limits");
    }

    /** A running container with no restarts. */
    public static ContainerView running(String name, String image, Limits limits) {
      return new ContainerView(name, image, 0, ContainerState.RUNNING, limits);
    }
  }

  /** The state of a container, as {@code status.containerStatuses[].state} names it. */
  public enum ContainerState {
    RUNNING,
    WAITING,
    TERMINATED
  }

  /**
   * Resource limits of a container.
   *
   * @param cpuMillis {@code limits.cpu} in millicores, 0 when unset
   * @param memoryBytes {@code limits.memory} in bytes, 0 when unset
   */
  public record Limits(long cpuMillis, long memoryBytes) {

    /** No limits. */
    public static final Limits NONE = new Limits(0, 0);
  }

  /**
   * A volume of the pod.
   *
   * @param name the volume's name
   * @param persistentVolumeClaim the claim's name for a persistentVolumeClaim volume, else null
   */
  public record VolumeView(String name, String persistentVolumeClaim) {

    public VolumeView {
      requireNonNull(name, "name");
    }
  }
}
