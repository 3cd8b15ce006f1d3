package io.kubeobserve.devstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.Json;
import java.time.Instant;

/**
 * Builds Node objects from the recorded GKE node: its nodeInfo, capacity and allocatable (memory
 * re-sized to the simulated kubelet's capacity, keeping the recorded reservation), its full
 * condition list with the kubelet's own conditions healthy, and the addresses and kubelet endpoint
 * of the simulated kubelet, so that {@code nodes/proxy} reaches it.
 */
final class NodeFactory {

  private NodeFactory() {}

  static ObjectNode node(String name, String uid, int index, long memoryCapacityBytes, int kubeletPort,
      ClusterIds ids, Instant now) {
    ObjectNode node = ClusterFixtures.object(ClusterFixtures.NODE);
    ObjectNode metadata = node.putObject("metadata").put("name", name).put("uid", uid)
        .put("creationTimestamp", Json.time(now));
    metadata.putObject("labels").put("beta.kubernetes.io/arch", "amd64").put("beta.kubernetes.io/os", "linux")
        .put("kubernetes.io/arch", "amd64").put("kubernetes.io/hostname", name).put("kubernetes.io/os", "linux");
    metadata.putObject("annotations").put("node.alpha.kubernetes.io/ttl", "0")
        .put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
    ObjectNode spec = node.putObject("spec");
    spec.put("podCIDR", "10.244." + index + ".0/24");
    spec.putArray("podCIDRs").add("10.244." + index + ".0/24");
    ObjectNode status = (ObjectNode) node.get("status");
    resizeMemory(status, memoryCapacityBytes);
    ObjectNode nodeInfo = (ObjectNode) status.get("nodeInfo");
    String machine = ids.sha256Hex().substring(0, 32);
    nodeInfo.put("bootID", ids.uid()).put("machineID", machine).put("systemUUID", ids.uid());
    ArrayNode addresses = status.putArray("addresses");
    addresses.addObject().put("type", "InternalIP").put("address", "127.0.0.1");
    addresses.addObject().put("type", "Hostname").put("address", name);
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", kubeletPort);
    for (JsonNode condition : status.path("conditions")) {
      ObjectNode entry = (ObjectNode) condition;
      entry.put("lastHeartbeatTime", Json.time(now)).put("lastTransitionTime", Json.time(now));
      for (NodePressure pressure : NodePressure.values()) {
        if (pressure.condition().equals(entry.path("type").asText())) {
          entry.put("status", "False").put("reason", pressure.normalReason()).put("message", pressure.normalMessage());
        }
      }
      if ("Ready".equals(entry.path("type").asText())) {
        entry.put("status", "True").put("reason", "KubeletReady").put("message", "kubelet is posting ready status");
      }
    }
    return node;
  }

  private static void resizeMemory(ObjectNode status, long capacityBytes) {
    long recordedCapacity = Quantities.bytes(status.path("capacity").path("memory").asText());
    long recordedAllocatable = Quantities.bytes(status.path("allocatable").path("memory").asText());
    long reserved = Math.min(recordedCapacity - recordedAllocatable, capacityBytes / 4);
    ((ObjectNode) status.get("capacity")).put("memory", Quantities.kibibytes(capacityBytes));
    ((ObjectNode) status.get("allocatable")).put("memory", Quantities.kibibytes(capacityBytes - reserved));
  }
}
