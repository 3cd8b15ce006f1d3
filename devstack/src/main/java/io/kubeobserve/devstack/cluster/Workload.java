package io.kubeobserve.devstack.cluster;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A workload of the simulated cluster whose pods run on the nodes. The workload objects themselves
 * are not served; their pods carry the owner references, labels and resources a real controller
 * gives them.
 *
 * @param kind the controller kind
 * @param namespace the namespace
 * @param name the workload's name
 * @param container the name of its one container
 * @param image the container's image reference
 * @param cpuRequest {@code resources.requests.cpu}, empty when unset
 * @param memoryRequest {@code resources.requests.memory}, empty when unset
 * @param cpuLimit {@code resources.limits.cpu}, empty when unset
 * @param memoryLimit {@code resources.limits.memory}, empty when unset
 */
public record Workload(WorkloadKind kind, String namespace, String name, String container, String image,
    String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {

  /** The workloads every simulated cluster runs: one DaemonSet, three Deployments, a StatefulSet and a Job. */
  public static final List<Workload> CATALOG = List.of(
      new Workload(WorkloadKind.DAEMON_SET, "monitoring", "node-exporter", "node-exporter",
          "quay.io/prometheus/node-exporter:v1.8.2", "100m", "64Mi", "250m", "128Mi"),
      new Workload(WorkloadKind.DEPLOYMENT, "shop", "web", "nginx", "docker.io/library/nginx:1.27.2",
          "100m", "64Mi", "", "128Mi"),
      new Workload(WorkloadKind.DEPLOYMENT, "shop", "checkout", "checkout",
          "registry.example.com/shop/checkout:3.4.1", "250m", "256Mi", "", "512Mi"),
      new Workload(WorkloadKind.DEPLOYMENT, "payments", "api", "api",
          "registry.example.com/payments/api:2.3.1", "100m", "", "", ""),
      new Workload(WorkloadKind.STATEFUL_SET, "data", "postgres", "postgres", "docker.io/library/postgres:16.4",
          "500m", "1Gi", "500m", "1Gi"),
      new Workload(WorkloadKind.JOB, "batch", "report-builder", "report-builder",
          "registry.example.com/batch/report-builder:1.0.7", "", "", "", ""));

  public Workload {
    requireNonNull(kind, "kind");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
    requireNonNull(container, "container");
    requireNonNull(image, "image");
    requireNonNull(cpuRequest, "cpuRequest");
    requireNonNull(memoryRequest, "memoryRequest");
    requireNonNull(cpuLimit, "cpuLimit");
    requireNonNull(memoryLimit, "memoryLimit");
  }

  /** {@code namespace/name}, as scenarios name a workload. */
  public String id() {
    return namespace + "/" + name;
  }

  /**
   * The pods' QoS class (pkg/apis/core/helper/qos): {@code Guaranteed} when CPU and memory limits
   * are set and requests (which default to limits) equal them, {@code BestEffort} when nothing is
   * set, else {@code Burstable}.
   */
  public String qosClass() {
    boolean nothing = cpuRequest.isEmpty() && memoryRequest.isEmpty() && cpuLimit.isEmpty() && memoryLimit.isEmpty();
    if (nothing) {
      return "BestEffort";
    }
    boolean guaranteed = !cpuLimit.isEmpty() && !memoryLimit.isEmpty()
        && (cpuRequest.isEmpty() || Quantities.parse(cpuRequest).compareTo(Quantities.parse(cpuLimit)) == 0)
        && (memoryRequest.isEmpty() || Quantities.parse(memoryRequest).compareTo(Quantities.parse(memoryLimit)) == 0);
    return guaranteed ? "Guaranteed" : "Burstable";
  }
}
