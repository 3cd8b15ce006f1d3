package io.kubeobserve.devstack.cluster;

/**
 * The message the kubelet's eviction manager writes into an evicted pod's {@code status.message} and
 * its {@code Evicted} event (pkg/kubelet/eviction/helpers.go {@code evictionMessage}): the resource,
 * the threshold and what was available, then, for memory and ephemeral storage, each container that
 * used more than it requested, every part ending in {@code ". "} as the kubelet formats it
 * ("The node was low on resource: memory. Threshold quantity: 750Mi, available: 179968Ki. ").
 */
final class EvictionMessage {

  private final StringBuilder text = new StringBuilder();
  private final NodePressure pressure;

  EvictionMessage(NodePressure pressure, String thresholdQuantity, String available) {
    this.pressure = pressure;
    text.append("The node was low on resource: ").append(pressure.resource()).append(". ");
    text.append("Threshold quantity: ").append(thresholdQuantity).append(", available: ").append(available).append(". ");
  }

  /** Adds a container's usage when it exceeds its request (memory and ephemeral-storage only, as the kubelet does). */
  EvictionMessage container(String name, long usageBytes, String request) {
    boolean measured = pressure != NodePressure.PID;
    if (measured && usageBytes > Quantities.bytes(request)) {
      text.append("Container ").append(name).append(" was using ").append(Quantities.binarySI(usageBytes))
          .append(", request is ").append(request.isEmpty() ? "0" : request).append(", has larger consumption of ")
          .append(pressure.resource()).append(". ");
    }
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
