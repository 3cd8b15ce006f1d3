package io.kubeobserve.devstack.cluster.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.cluster.ObjectRef;
import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubeobserve.devstack.cluster.Workload;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Predicate;

/**
 * What an incident of a running scenario step works with: the cluster, its scheduler (so later
 * phases run at their scenario times), target picking, and the ground truth log.
 */
final class IncidentContext {

  private final SimulatedCluster cluster;
  private final String step;
  private final GroundTruthLog truth;
  private final Instant scenarioStart;
  private final List<ScheduledFuture<?>> pending;

  IncidentContext(SimulatedCluster cluster, String step, GroundTruthLog truth, Instant scenarioStart,
      List<ScheduledFuture<?>> pending) {
    this.cluster = cluster;
    this.step = step;
    this.truth = truth;
    this.scenarioStart = scenarioStart;
    this.pending = pending;
  }

  SimulatedCluster cluster() {
    return cluster;
  }

  /** Runs {@code task} after {@code delay} of scenario time from now. */
  void after(Duration delay, Runnable task) {
    pending.add(cluster.scheduler().schedule(task, delay));
  }

  Instant now() {
    return cluster.clock().instant();
  }

  /** The node named, or the first node. */
  String node(Optional<String> node) {
    return node.orElse(cluster.nodes().get(0).name());
  }

  /** The node named, or the last node. */
  String lastNodeUnlessNamed(Optional<String> node) {
    return node.orElse(cluster.nodes().get(cluster.nodes().size() - 1).name());
  }

  /**
   * The first running pod (by namespace and name) of {@code workloadId} ({@code namespace/name}),
   * on {@code node} when given.
   *
   * @throws IllegalStateException when there is none
   */
  ObjectNode runningPod(String workloadId, Optional<String> node) {
    return runningPods(pod -> cluster.workloadOf(Json.meta(pod, "uid")).map(Workload::id).orElse("").equals(workloadId)
        && node.map(name -> name.equals(nodeOf(pod))).orElse(true)).stream().findFirst()
        .orElseThrow(() -> new IllegalStateException("no running pod of workload " + workloadId
            + node.map(name -> " on " + name).orElse("")));
  }

  /** The running pods matching {@code filter}, by namespace and name. */
  List<ObjectNode> runningPods(Predicate<JsonNode> filter) {
    return cluster.store().list(ResourceType.PODS, "").stream()
        .filter(pod -> "Running".equals(pod.path("status").path("phase").asText()))
        .filter(pod -> !pod.path("metadata").has("deletionTimestamp"))
        .filter(filter).toList();
  }

  static String nodeOf(JsonNode pod) {
    return pod.path("spec").path("nodeName").asText();
  }

  /** The Node's reference with its real uid. */
  ObjectRef nodeRef(String node) {
    return ObjectRef.of(cluster.nodeLifecycle().get(node));
  }

  void record(Signal signal, ObjectRef object, String container, String node, String reason, String message,
      Map<String, String> details) {
    Instant at = now();
    truth.record(new GroundTruth(step, signal, object, container, node, reason, message, at,
        Duration.between(scenarioStart, at), details));
  }

  /** Records a node condition change. */
  void recordCondition(String node, String condition, String previous, String status, String reason, String message) {
    record(Signal.NODE_CONDITION, nodeRef(node), "", node, reason, message,
        Map.of("condition", condition, "status", status, "previousStatus", previous));
  }
}
