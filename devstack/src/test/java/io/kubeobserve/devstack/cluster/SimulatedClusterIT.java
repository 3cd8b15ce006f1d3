package io.kubeobserve.devstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Config;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steady cluster as clients see it: nodes with reachable kubelets, workload pods, logs, leases. */
class SimulatedClusterIT {

  @TempDir Path directory;

  @Test
  void nodesPodsKubeletsLogsAndLeasesFitTogether() throws Exception {
    try (SimulatedCluster cluster = SimulatedCluster.builder().nodes(3).podsPerNode(5).speed(30).linesPerSecond(1)
        .seed(3).logsRoot(directory.resolve("pods")).build().start()) {
      ApiClient client = Config.fromConfig(cluster.kubeconfig(directory.resolve("kubeconfig")).toString());
      CoreV1Api core = new CoreV1Api(client);
      List<V1Node> nodes = core.listNode().execute().getItems();
      assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactly("sim-node-1", "sim-node-2", "sim-node-3");
      HttpClient http = HttpClient.newBuilder().sslContext(cluster.apiServer().certificateAuthority().trustingContext()).build();
      for (V1Node node : nodes) {
        String name = node.getMetadata().getName();
        assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort())
            .isEqualTo(cluster.node(name).kubeletPort());
        assertThat(node.getStatus().getAddresses()).anySatisfy(a -> assertThat(a.getType()).isEqualTo("InternalIP"));
        assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Ready");
          assertThat(c.getStatus()).isEqualTo("True");
        });
        List<V1Pod> pods = core.listPodForAllNamespaces().fieldSelector("spec.nodeName=" + name).execute().getItems();
        assertThat(pods).hasSize(5);
        String summary = http.send(HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/nodes/" + name
            + "/proxy/stats/summary")).header("Authorization", "Bearer " + cluster.token()).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(summary).contains("\"nodeName\":\"" + name + "\"");
        for (V1Pod pod : pods) {
          assertThat(summary).contains("\"uid\":\"" + pod.getMetadata().getUid() + "\"");
        }
      }

      List<V1Pod> pods = core.listPodForAllNamespaces().execute().getItems();
      assertThat(pods).hasSize(15);
      assertThat(pods).extracting(p -> p.getMetadata().getOwnerReferences().get(0).getKind())
          .contains("ReplicaSet", "StatefulSet", "DaemonSet", "Job");
      assertThat(pods).filteredOn(p -> p.getMetadata().getOwnerReferences().get(0).getKind().equals("DaemonSet"))
          .hasSize(3).allSatisfy(p -> assertThat(p.getMetadata().getLabels()).containsKey("controller-revision-hash"));
      assertThat(pods).filteredOn(p -> p.getMetadata().getOwnerReferences().get(0).getKind().equals("ReplicaSet"))
          .allSatisfy(p -> assertThat(p.getMetadata().getName())
              .startsWith(p.getMetadata().getOwnerReferences().get(0).getName() + "-")
              .endsWith(p.getMetadata().getName().substring(p.getMetadata().getName().length() - 6)));
      assertThat(pods).filteredOn(p -> p.getMetadata().getOwnerReferences().get(0).getKind().equals("StatefulSet"))
          .extracting(p -> p.getMetadata().getName()).contains("postgres-0", "postgres-1");
      assertThat(pods).allSatisfy(p -> {
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(p.getStatus().getContainerStatuses().get(0).getState().getRunning()).isNotNull();
      });

      // every running container writes its CRI log file under the logs root
      for (V1Pod pod : pods) {
        Path log = cluster.logsRoot().resolve(pod.getMetadata().getNamespace() + "_" + pod.getMetadata().getName() + "_"
            + pod.getMetadata().getUid()).resolve(pod.getSpec().getContainers().get(0).getName()).resolve("0.log");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(log) && Files.size(log) > 0);
      }
      // kubelets renew their Leases every 10 s
      String renewed = Json.meta(cluster.store().get(ResourceType.LEASES, "kube-node-lease", "sim-node-1"), "resourceVersion");
      await().atMost(Duration.ofSeconds(10)).until(() -> !renewed.equals(
          Json.meta(cluster.store().get(ResourceType.LEASES, "kube-node-lease", "sim-node-1"), "resourceVersion")));
      cluster.close();
    }
  }

  @Test
  void theSameSeedGivesTheSameNamesAndUids() {
    List<String> first;
    try (SimulatedCluster cluster = SimulatedCluster.builder().linesPerSecond(0).seed(11).build().start()) {
      first = cluster.store().list(ResourceType.PODS, "").stream().map(p -> Json.meta(p, "name") + Json.meta(p, "uid")).toList();
    }
    try (SimulatedCluster cluster = SimulatedCluster.builder().linesPerSecond(0).seed(11).build().start()) {
      assertThat(cluster.store().list(ResourceType.PODS, "").stream().map(p -> Json.meta(p, "name") + Json.meta(p, "uid")))
          .containsExactlyElementsOf(first);
    }
  }
}
