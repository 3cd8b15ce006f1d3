package io.kubeobserve.devstack.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * client-java's SharedInformer against the simulation: add, update and delete reach the handler;
 * a watch resumed from a resourceVersion older than the history window gets 410 and the informer
 * lists again.
 */
@WithSimulatedApiServer(historyWindow = 5)
class InformerIT {

  private final List<String> seen = new CopyOnWriteArrayList<>();
  private SharedInformerFactory factory;

  @AfterEach
  void stopInformers() {
    if (factory != null) {
      factory.stopAllRegisteredInformers();
    }
  }

  @Test
  void informerSeesAddUpdateDeleteAndRelistsAfterGone(SimulatedApiServer server,
      @TempDir Path directory) {
    ApiClient client = Fixtures.client(server, directory);
    factory = new SharedInformerFactory(client);
    SharedIndexInformer<V1Pod> informer = factory.sharedIndexInformerFor(
        new GenericKubernetesApi<>(V1Pod.class, V1PodList.class, "", "v1", "pods", client),
        V1Pod.class, 0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Pod pod) {
        seen.add("add " + pod.getMetadata().getName());
      }

      @Override
      public void onUpdate(V1Pod before, V1Pod after) {
        seen.add("update " + after.getMetadata().getName() + " " + after.getStatus().getPhase());
      }

      @Override
      public void onDelete(V1Pod pod, boolean finalStateUnknown) {
        seen.add("delete " + pod.getMetadata().getName());
      }
    });
    server.store().create(ResourceType.PODS, Fixtures.pod("before-start"));
    factory.startAllRegisteredInformers();
    await().atMost(Duration.ofSeconds(20)).until(informer::hasSynced);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("add before-start"));

    ObjectNode created = server.store().create(ResourceType.PODS, Fixtures.pod("web-1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("add web-1"));

    ObjectNode status = (ObjectNode) created.get("status").deepCopy();
    status.put("phase", "Succeeded");
    ObjectNode patch = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    patch.set("status", status);
    server.store().patchStatus(ResourceType.PODS, "default", "web-1", patch);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("update web-1 Succeeded"));

    server.store().delete(ResourceType.PODS, "default", "web-1", 0L);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("delete web-1"));
    assertThat(informer.getIndexer().getByKey("default/web-1")).isNull();

    // The pod watch is now quiet; ten changes to other resources push its resourceVersion out of
    // the 5-change window, like etcd compaction. When the watch connection drops, the informer
    // resumes from that resourceVersion, gets 410 Expired and must list again.
    long listsBefore = podLists(server);
    for (int i = 0; i < 10; i++) {
      server.store().ensureNamespace("filler-" + i);
    }
    server.store().create(ResourceType.PODS, Fixtures.pod("while-away"));
    server.store().delete(ResourceType.PODS, "default", "before-start", 0L);
    for (int i = 0; i < 10; i++) {
      server.store().ensureNamespace("more-filler-" + i);
    }
    server.closeWatches();

    await().atMost(Duration.ofSeconds(30)).until(() -> podLists(server) > listsBefore);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(informer.getIndexer().getByKey("default/while-away")).isNotNull();
      assertThat(informer.getIndexer().getByKey("default/before-start")).isNull();
    });
    assertThat(server.requestLog()).anyMatch(line -> line.startsWith("GET /api/v1/pods?")
        && line.contains("watch=true"));
  }

  private static long podLists(SimulatedApiServer server) {
    return server.countRequests(line -> line.startsWith("GET /api/v1/pods")
        && !line.contains("watch=true"));
  }
}
