package io.kubeobserve.devstack.cluster.kubelet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Renders the kubelet's {@code /stats/summary} ({@code k8s.io/kubelet/pkg/apis/stats/v1alpha1.Summary})
 * from a {@link KubeletSnapshot}, in the shape of a recorded summary ({@link KubeletFixtures.SummarySchema}).
 *
 * <p>The recorded JSON is the template: the node object is the recorded node, and each pod is a copy
 * of the recorded pod with the most fields (one with volumes and memory limits), so the field set is
 * the recorded one. Into the copies go the snapshot's names, uids, start times, usage and counters;
 * every {@code time} field is the snapshot's instant. Fields the simulation does not model keep their
 * recorded values (PSI, swap, {@code kubelet} system container memory, image filesystem use).
 * {@code memory.availableBytes} of a container or pod is present only when it has a memory limit,
 * and {@code volume} only when the pod has volumes, as the kubelet does.
 */
public final class StatsSummaryRenderer {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KubeletFixtures.SummarySchema schema;
  private final ObjectNode nodeTemplate;
  private final ObjectNode podTemplate;
  private final ObjectNode containerTemplate;
  private final ObjectNode volumeTemplate;

  /** A renderer of {@code schema}'s shape. */
  public StatsSummaryRenderer(KubeletFixtures.SummarySchema schema) {
    this.schema = schema;
    JsonNode recorded = KubeletFixtures.get().summary(schema);
    this.nodeTemplate = (ObjectNode) recorded.path("node").deepCopy();
    ObjectNode richest = null;
    for (JsonNode pod : recorded.path("pods")) {
      if (pod.has("volume") && pod.path("memory").has("availableBytes")) {
        richest = (ObjectNode) pod;
        break;
      }
    }
    if (richest == null) {
      throw new IllegalStateException("recorded summary " + schema + " has no pod with volumes and limits");
    }
    this.podTemplate = richest.deepCopy();
    this.containerTemplate = (ObjectNode) podTemplate.path("containers").get(0).deepCopy();
    this.volumeTemplate = (ObjectNode) podTemplate.path("volume").get(0).deepCopy();
    podTemplate.remove("containers");
    podTemplate.remove("volume");
  }

  public KubeletFixtures.SummarySchema schema() {
    return schema;
  }

  /** The summary as JSON text (compact, as the kubelet writes it). */
  public String renderJson(KubeletSnapshot snapshot) {
    try {
      return MAPPER.writeValueAsString(render(snapshot));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the summary", e);
    }
  }

  /** The summary as a JSON tree. */
  public ObjectNode render(KubeletSnapshot snapshot) {
    ObjectNode summary = MAPPER.createObjectNode();
    summary.set("node", node(snapshot));
    ArrayNode pods = summary.putArray("pods");
    for (KubeletSnapshot.PodSample pod : snapshot.pods()) {
      pods.add(pod(snapshot, pod));
    }
    return summary;
  }

  private ObjectNode node(KubeletSnapshot s) {
    KubeletSnapshot.NodeValues n = s.node();
    ObjectNode node = nodeTemplate.deepCopy();
    stampTimes(node, s.now());
    node.put("nodeName", s.nodeName());
    node.put("startTime", time(s.nodeStartTime()));
    long podsWorkingSet = 0;
    long podsUsage = 0;
    long podsRss = 0;
    long podsPageFaults = 0;
    long podsNanoCores = 0;
    long podsCoreNanos = 0;
    for (KubeletSnapshot.PodSample pod : s.pods()) {
      podsWorkingSet += pod.workingSetBytes();
      podsUsage += pod.usageBytes();
      podsRss += pod.rssBytes();
      podsPageFaults += pod.pageFaults();
      podsNanoCores += pod.cpuNanoCores();
      podsCoreNanos += pod.cpuCoreNanoSeconds();
    }
    for (JsonNode system : node.path("systemContainers")) {
      ObjectNode container = (ObjectNode) system;
      container.put("startTime", time(s.nodeStartTime()));
      if ("pods".equals(container.path("name").asText())) {
        cpu(container, podsNanoCores, podsCoreNanos);
        ObjectNode memory = (ObjectNode) container.path("memory");
        memory.put("availableBytes", Math.max(0, n.memoryCapacityBytes() - podsWorkingSet));
        memory(memory, podsUsage, podsWorkingSet, podsRss, podsPageFaults, 0);
      } else {
        long nanoCores = container.path("cpu").path("usageNanoCores").asLong();
        cpu(container, nanoCores, Math.round(nanoCores * seconds(s.nodeStartTime(), s.now())));
      }
    }
    cpu(node, n.cpuNanoCores(), n.cpuCoreNanoSeconds());
    ObjectNode memory = (ObjectNode) node.path("memory");
    memory.put("availableBytes", n.memoryAvailableBytes());
    memory(memory, n.memoryUsageBytes(), n.memoryWorkingSetBytes(), n.memoryRssBytes(), n.pageFaults(), n.majorPageFaults());
    network((ObjectNode) node.path("network"), n.rxBytes(), n.txBytes());
    fs((ObjectNode) node.path("fs"), n, n.fsUsedBytes(), n.inodes() - n.inodesFree());
    for (Map.Entry<String, JsonNode> runtime : node.path("runtime").properties()) {
      ObjectNode runtimeFs = (ObjectNode) runtime.getValue();
      fs(runtimeFs, n, runtimeFs.path("usedBytes").asLong(), runtimeFs.path("inodesUsed").asLong());
    }
    ObjectNode rlimit = (ObjectNode) node.path("rlimit");
    rlimit.put("maxpid", n.maxPid());
    rlimit.put("curproc", n.processCount());
    return node;
  }

  private ObjectNode pod(KubeletSnapshot s, KubeletSnapshot.PodSample sample) {
    PodView view = sample.pod();
    ObjectNode pod = podTemplate.deepCopy();
    stampTimes(pod, s.now());
    ObjectNode ref = (ObjectNode) pod.path("podRef");
    ref.put("name", view.name());
    ref.put("namespace", view.namespace());
    ref.put("uid", view.uid());
    pod.put("startTime", time(sample.startTime()));
    ArrayNode containers = MAPPER.createArrayNode();
    long ephemeral = 0;
    long ephemeralInodes = 0;
    boolean allLimited = !sample.containers().isEmpty();
    long limits = 0;
    for (KubeletSnapshot.ContainerSample container : sample.containers()) {
      containers.add(container(s, container));
      ephemeral += container.rootfsUsedBytes() + container.logsUsedBytes();
      ephemeralInodes += container.rootfsInodesUsed() + 1;
      long limit = container.view().limits().memoryBytes();
      allLimited &= limit > 0;
      limits += limit;
    }
    // Field order as the kubelet writes it: podRef, startTime, containers, cpu, memory, ...
    ObjectNode ordered = MAPPER.createObjectNode();
    ordered.set("podRef", ref);
    ordered.set("startTime", pod.get("startTime"));
    ordered.set("containers", containers);
    for (Map.Entry<String, JsonNode> field : pod.properties()) {
      if (!ordered.has(field.getKey())) {
        ordered.set(field.getKey(), field.getValue());
      }
      if ("network".equals(field.getKey()) && !view.volumes().isEmpty()) {
        ordered.set("volume", volumes(s, view));
      }
    }
    cpu(ordered, sample.cpuNanoCores(), sample.cpuCoreNanoSeconds());
    ObjectNode memory = (ObjectNode) ordered.path("memory");
    memory(memory, sample.usageBytes(), sample.workingSetBytes(), sample.rssBytes(), sample.pageFaults(), 0);
    if (allLimited) {
      memory.put("availableBytes", Math.max(0, limits - sample.workingSetBytes()));
    } else {
      memory.remove("availableBytes");
    }
    network((ObjectNode) ordered.path("network"), sample.rxBytes(), sample.txBytes());
    fs((ObjectNode) ordered.path("ephemeral-storage"), s.node(), ephemeral, ephemeralInodes);
    if (ordered.path("process_stats").isObject()) {
      ((ObjectNode) ordered.path("process_stats")).put("process_count", sample.containers().size());
    }
    return ordered;
  }

  private ObjectNode container(KubeletSnapshot s, KubeletSnapshot.ContainerSample sample) {
    ObjectNode container = containerTemplate.deepCopy();
    stampTimes(container, s.now());
    container.put("name", sample.name());
    container.put("startTime", time(sample.startTime()));
    cpu(container, sample.cpuNanoCores(), sample.cpuCoreNanoSeconds());
    ObjectNode memory = (ObjectNode) container.path("memory");
    memory(memory, sample.usageBytes(), sample.workingSetBytes(), sample.rssBytes(), sample.pageFaults(), sample.majorPageFaults());
    long limit = sample.view().limits().memoryBytes();
    if (limit > 0) {
      memory.put("availableBytes", Math.max(0, limit - sample.workingSetBytes()));
    } else {
      memory.remove("availableBytes");
    }
    fs((ObjectNode) container.path("rootfs"), s.node(), sample.rootfsUsedBytes(), sample.rootfsInodesUsed());
    fs((ObjectNode) container.path("logs"), s.node(), sample.logsUsedBytes(), 1);
    return container;
  }

  private ArrayNode volumes(KubeletSnapshot s, PodView view) {
    ArrayNode volumes = MAPPER.createArrayNode();
    for (PodView.VolumeView volume : view.volumes()) {
      ObjectNode entry = volumeTemplate.deepCopy();
      stampTimes(entry, s.now());
      entry.put("name", volume.name());
      if (volume.persistentVolumeClaim() != null) {
        for (KubeletSnapshot.ClaimSample claim : s.claims()) {
          if (claim.namespace().equals(view.namespace()) && claim.claim().equals(volume.persistentVolumeClaim())) {
            entry.put("availableBytes", claim.availableBytes());
            entry.put("capacityBytes", claim.capacityBytes());
            entry.put("usedBytes", claim.usedBytes());
            entry.put("inodesFree", claim.inodesFree());
            entry.put("inodes", claim.inodes());
            entry.put("inodesUsed", claim.inodesUsed());
          }
        }
        ObjectNode pvcRef = entry.putObject("pvcRef");
        pvcRef.put("name", volume.persistentVolumeClaim());
        pvcRef.put("namespace", view.namespace());
      }
      volumes.add(entry);
    }
    return volumes;
  }

  private static void cpu(ObjectNode owner, long nanoCores, long coreNanoSeconds) {
    if (owner.path("cpu").isObject()) {
      ObjectNode cpu = (ObjectNode) owner.path("cpu");
      cpu.put("usageNanoCores", nanoCores);
      cpu.put("usageCoreNanoSeconds", coreNanoSeconds);
    }
  }

  private static void memory(ObjectNode memory, long usage, long workingSet, long rss, long pageFaults, long majorPageFaults) {
    memory.put("usageBytes", usage);
    memory.put("workingSetBytes", workingSet);
    memory.put("rssBytes", rss);
    memory.put("pageFaults", pageFaults);
    memory.put("majorPageFaults", majorPageFaults);
  }

  private static void network(ObjectNode network, long rx, long tx) {
    String primary = network.path("name").asText("eth0");
    network.put("rxBytes", rx);
    network.put("txBytes", tx);
    for (JsonNode entry : network.path("interfaces")) {
      if (primary.equals(entry.path("name").asText())) {
        ((ObjectNode) entry).put("rxBytes", rx);
        ((ObjectNode) entry).put("txBytes", tx);
      }
    }
  }

  private static void fs(ObjectNode fs, KubeletSnapshot.NodeValues n, long used, long inodesUsed) {
    if (!fs.isObject() || fs.isEmpty()) {
      return;
    }
    fs.put("availableBytes", n.fsAvailableBytes());
    fs.put("capacityBytes", n.fsCapacityBytes());
    fs.put("usedBytes", used);
    fs.put("inodesFree", n.inodesFree());
    fs.put("inodes", n.inodes());
    fs.put("inodesUsed", inodesUsed);
  }

  /** Sets every {@code time} field under {@code node} to {@code now}. */
  private static void stampTimes(JsonNode node, Instant now) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      if (object.has("time")) {
        object.put("time", time(now));
      }
      object.elements().forEachRemaining(child -> stampTimes(child, now));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> stampTimes(child, now));
    }
  }

  private static double seconds(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
  }

  /** An instant as {@code metav1.Time} writes it (RFC 3339, whole seconds). */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  public String toString() {
    return "StatsSummaryRenderer[" + schema + "]";
  }
}
