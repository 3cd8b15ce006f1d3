package io.kubeobserve.devstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.kubelet.ContainerIds;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the pods of {@link Workload}s as their controllers and the kubelet leave them once running:
 * the names, labels and controller owner reference each controller gives (ReplicaSet
 * {@code <deployment>-<pod-template-hash>}, StatefulSet ordinals, DaemonSet and Job suffixes), the
 * recorded GKE pod's spec shape (projected service-account volume, default tolerations), resources,
 * and a Running status with all conditions True and one running container status per container.
 * Names and uids come from the seeded {@link ClusterIds}. Thread-safe.
 */
final class PodFactory {

  /** The taints every DaemonSet pod tolerates (pkg/controller/daemon/util). */
  private static final List<String[]> DAEMON_SET_TOLERATIONS = List.of(
      new String[] {"node.kubernetes.io/not-ready", "NoExecute"},
      new String[] {"node.kubernetes.io/unreachable", "NoExecute"},
      new String[] {"node.kubernetes.io/disk-pressure", "NoSchedule"},
      new String[] {"node.kubernetes.io/memory-pressure", "NoSchedule"},
      new String[] {"node.kubernetes.io/pid-pressure", "NoSchedule"},
      new String[] {"node.kubernetes.io/unschedulable", "NoSchedule"});

  private record Owner(String name, String uid, String hash) {}

  private final ClusterIds ids;
  private final ObjectNode template = ClusterFixtures.object(ClusterFixtures.POD);
  private final Map<String, Owner> owners = new HashMap<>();
  private final Map<String, Integer> ordinals = new HashMap<>();
  private final Map<Integer, Integer> addresses = new HashMap<>();

  PodFactory(ClusterIds ids) {
    this.ids = ids;
  }

  /** A new running pod of {@code workload} on node {@code nodeName} (the {@code nodeIndex}-th node, from 1). */
  synchronized ObjectNode pod(Workload workload, String nodeName, int nodeIndex, String hostIp, Instant now) {
    Owner owner = owners.computeIfAbsent(workload.id(), id -> new Owner(
        workload.kind() == WorkloadKind.DEPLOYMENT ? workload.name() + "-" + ids.suffix(10) : workload.name(),
        ids.uid(), ids.suffix(10)));
    String name;
    if (workload.kind() == WorkloadKind.STATEFUL_SET) {
      name = workload.name() + "-" + (ordinals.merge(workload.id(), 1, Integer::sum) - 1);
    } else {
      name = owner.name() + "-" + ids.suffix(5);
    }
    String uid = ids.uid();
    ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode metadata = pod.putObject("metadata").put("name", name).put("namespace", workload.namespace())
        .put("uid", uid).put("creationTimestamp", Json.time(now));
    if (workload.kind() != WorkloadKind.STATEFUL_SET) {
      metadata.put("generateName", name.substring(0, name.length() - 5));
    }
    labels(metadata.putObject("labels"), workload, owner, name);
    metadata.putArray("ownerReferences").addObject().put("apiVersion", workload.kind().ownerApiVersion())
        .put("kind", workload.kind().ownerKind()).put("name", owner.name()).put("uid", owner.uid())
        .put("controller", true).put("blockOwnerDeletion", true);
    pod.set("spec", spec(workload, name, nodeName));
    pod.set("status", status(workload, uid, hostIp, podIp(nodeIndex), now));
    return pod;
  }

  private static void labels(ObjectNode labels, Workload workload, Owner owner, String podName) {
    switch (workload.kind()) {
      case DEPLOYMENT -> labels.put("app", workload.name()).put("pod-template-hash",
          owner.name().substring(workload.name().length() + 1));
      case STATEFUL_SET -> labels.put("app", workload.name())
          .put("apps.kubernetes.io/pod-index", podName.substring(workload.name().length() + 1))
          .put("controller-revision-hash", workload.name() + "-" + owner.hash())
          .put("statefulset.kubernetes.io/pod-name", podName);
      case DAEMON_SET -> labels.put("app", workload.name()).put("controller-revision-hash", owner.hash())
          .put("pod-template-generation", "1");
      case JOB -> labels.put("batch.kubernetes.io/controller-uid", owner.uid())
          .put("batch.kubernetes.io/job-name", workload.name()).put("controller-uid", owner.uid())
          .put("job-name", workload.name());
    }
  }

  private ObjectNode spec(Workload workload, String podName, String nodeName) {
    ObjectNode spec = ((ObjectNode) template.get("spec")).deepCopy();
    String volume = "kube-api-access-" + ids.suffix(5);
    ((ObjectNode) spec.path("volumes").get(0)).put("name", volume);
    ObjectNode container = ((ObjectNode) spec.path("containers").get(0));
    container.remove(List.of("args", "command"));
    container.put("name", workload.container()).put("image", workload.image()).put("imagePullPolicy", "IfNotPresent");
    ObjectNode resources = container.putObject("resources");
    putResources(resources, "requests", workload.cpuRequest(), workload.memoryRequest());
    putResources(resources, "limits", workload.cpuLimit(), workload.memoryLimit());
    ((ObjectNode) container.path("volumeMounts").get(0)).put("name", volume);
    spec.put("nodeName", nodeName);
    if (workload.kind() == WorkloadKind.JOB) {
      spec.put("restartPolicy", "OnFailure");
    }
    if (workload.kind() == WorkloadKind.STATEFUL_SET) {
      spec.put("hostname", podName).put("subdomain", workload.name());
    }
    if (workload.kind() == WorkloadKind.DAEMON_SET) {
      ArrayNode tolerations = spec.putArray("tolerations");
      for (String[] taint : DAEMON_SET_TOLERATIONS) {
        tolerations.addObject().put("key", taint[0]).put("operator", "Exists").put("effect", taint[1]);
      }
    }
    return spec;
  }

  private static void putResources(ObjectNode resources, String field, String cpu, String memory) {
    if (cpu.isEmpty() && memory.isEmpty()) {
      return;
    }
    ObjectNode values = resources.putObject(field);
    if (!cpu.isEmpty()) {
      values.put("cpu", cpu);
    }
    if (!memory.isEmpty()) {
      values.put("memory", memory);
    }
  }

  private ObjectNode status(Workload workload, String uid, String hostIp, String podIp, Instant now) {
    ObjectNode status = Json.MAPPER.createObjectNode().put("phase", "Running");
    ArrayNode conditions = status.putArray("conditions");
    for (JsonNode recorded : template.path("status").path("conditions")) {
      conditions.addObject().put("type", recorded.path("type").asText()).put("status", "True").putNull("lastProbeTime")
          .put("lastTransitionTime", Json.time(now));
    }
    status.put("hostIP", hostIp);
    status.putArray("hostIPs").addObject().put("ip", hostIp);
    status.put("podIP", podIp);
    status.putArray("podIPs").addObject().put("ip", podIp);
    status.put("startTime", Json.time(now));
    status.put("qosClass", workload.qosClass());
    ObjectNode container = status.putArray("containerStatuses").addObject();
    container.put("name", workload.container());
    container.putObject("state").putObject("running").put("startedAt", Json.time(now));
    container.putObject("lastState");
    container.put("ready", true).put("restartCount", 0);
    String image = workload.image().contains("/") && workload.image().substring(0, workload.image().indexOf('/')).contains(".")
        ? workload.image() : "docker.io/" + workload.image();
    container.put("image", image);
    container.put("imageID", image.replaceFirst(":[^:/]+$", "") + "@sha256:" + ids.sha256Hex());
    container.put("containerID", "containerd://" + ContainerIds.containerId(uid, workload.container(), 0));
    container.put("started", true);
    return status;
  }

  private String podIp(int nodeIndex) {
    int host = addresses.merge(nodeIndex, 1, Integer::sum) + 1;
    return "10.244." + nodeIndex + "." + host;
  }
}
