package io.kubeobserve.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeobserve.agent.logs.LogTestFiles.LogsTopic;
import io.kubeobserve.agent.logs.LogTestFiles.Shipped;
import io.kubeobserve.devstack.cluster.PodLifecycle;
import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubeobserve.devstack.cluster.WorkloadKind;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import io.kubeobserve.devstack.cluster.logs.ContainerLogRef;
import io.kubeobserve.devstack.cluster.logs.LogStream;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrichment from the simulated cluster's API server (client-java's informer of the node's pods,
 * shared with the pod signals): records carry the pod's labels and its owner workload, and the
 * lines of a deleted pod's file first seen after the deletion are still enriched within {@code
 * logs.deletedPodRetention} (files scanned every 2 s, so the deletion reaches the agent first).
 */
@WithKafka
class AgentLogsEnrichmentIT {

  @TempDir Path directory;

  @Test
  void recordsCarryLabelsAndOwnerAlsoAfterThePodIsDeleted(EmbeddedKafka kafka) throws Exception {
    try (SimulatedCluster cluster = SimulatedCluster.builder().nodes(1).podsPerNode(4).linesPerSecond(0).seed(3)
        .logsRoot(directory.resolve("pods")).build().start();
         LogsTopic topic = new LogsTopic(kafka.bootstrapServers(), "enriched-logs")) {
      String node = cluster.nodes().get(0).name();
      JsonNode pod = deploymentPod(cluster, node).orElseThrow();
      String namespace = pod.path("metadata").path("namespace").asText();
      String name = pod.path("metadata").path("name").asText();
      String uid = pod.path("metadata").path("uid").asText();
      String container = pod.path("spec").path("containers").get(0).path("name").asText();
      ContainerLogRef ref = PodLifecycle.logRef(pod, container);
      cluster.logs().writeLine(ref, LogStream.STDOUT, "before the deletion");

      try (RunningAgent agent = RunningAgent.start(kafka, List.of("kubernetes.kubeconfig="
              + cluster.kubeconfig(directory.resolve("kubeconfig")), "node.name=" + node, "kubelet.endpoints=",
          "heartbeat.enabled=false", "logs.root=" + cluster.logsRoot(), "checkpoints.dir=" + directory.resolve("cp"),
          "kafka.topics.logs=enriched-logs", "kafka.topics.events=enriched-events",
          "logs.pollInterval=2s"))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> body(topic.poll(), "before the deletion").isPresent());
        cluster.store().delete(ResourceType.PODS, namespace, name, 0L);
        await().atMost(Duration.ofSeconds(5))
            .until(() -> cluster.store().find(ResourceType.PODS, namespace, name).isEmpty());
        // a file first seen after the deletion (the container's last restart): only the retained metadata enriches it
        cluster.logs().restart(ref, 1);
        cluster.logs().writeLine(ref, LogStream.STDERR, "after the deletion");
        await().atMost(Duration.ofSeconds(30)).until(() -> body(topic.poll(), "after the deletion").isPresent());
      }

      String app = pod.path("metadata").path("labels").path("app").asText();
      String replicaSet = pod.path("metadata").path("ownerReferences").get(0).path("name").asText();
      for (String text : List.of("before the deletion", "after the deletion")) {
        Shipped shipped = body(topic.poll(), text).orElseThrow();
        assertThat(shipped.key()).isEqualTo(uid);
        assertThat(shipped.resource())
            .containsEntry("k8s.namespace.name", namespace).containsEntry("k8s.pod.name", name)
            .containsEntry("k8s.pod.uid", uid).containsEntry("k8s.container.name", container)
            .containsEntry("k8s.node.name", node).containsEntry("k8s.cluster.name", "it")
            .containsEntry("k8s.pod.label.app", app)
            .containsEntry("k8s.replicaset.name", replicaSet)
            .containsEntry("k8s.deployment.name", app);
      }
    }
  }

  private static Optional<JsonNode> deploymentPod(SimulatedCluster cluster, String node) {
    return cluster.store().list(ResourceType.PODS, "").stream()
        .filter(p -> node.equals(p.path("spec").path("nodeName").asText()))
        .filter(p -> cluster.workloadOf(p.path("metadata").path("uid").asText())
            .map(w -> w.kind() == WorkloadKind.DEPLOYMENT).orElse(false))
        .map(JsonNode.class::cast).findFirst();
  }

  private static Optional<Shipped> body(List<Shipped> shipped, String text) {
    return shipped.stream().filter(s -> s.body().startsWith(text)).findFirst();
  }
}
