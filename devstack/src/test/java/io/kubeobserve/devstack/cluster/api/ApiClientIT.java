package io.kubeobserve.devstack.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.PatchUtils;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client-java calls against the simulation: 409 on a stale update, 401, 404, paging, selectors, patches. */
@WithSimulatedApiServer
class ApiClientIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static CoreV1Api core;
  private static ApiClient client;

  @BeforeAll
  static void connect(SimulatedApiServer server, @TempDir Path directory) {
    client = Fixtures.client(server, directory);
    core = new CoreV1Api(client);
  }

  @Test
  void staleUpdateGetsConflict(SimulatedApiServer server) throws ApiException {
    server.store().create(ResourceType.PODS, Fixtures.pod("conflict-me"));
    V1Pod first = core.readNamespacedPod("conflict-me", "default").execute();
    V1Pod second = core.readNamespacedPod("conflict-me", "default").execute();
    first.getMetadata().putLabelsItem("app", "one");
    V1Pod updated = core.replaceNamespacedPod("conflict-me", "default", first).execute();
    assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(second.getMetadata().getResourceVersion()));

    second.getMetadata().putLabelsItem("app", "two");
    ApiException conflict = catchThrowableOfType(ApiException.class,
        () -> core.replaceNamespacedPod("conflict-me", "default", second).execute());
    assertThat(conflict.getCode()).isEqualTo(409);
    assertThat(conflict.getResponseBody()).contains("\"reason\":\"Conflict\"")
        .contains("Operation cannot be fulfilled on pods \\\"conflict-me\\\"");
  }

  @Test
  void badTokenGetsUnauthorized(SimulatedApiServer server) {
    ApiClient wrong = Config.fromToken(server.url(), "not-the-token", false);
    ApiException unauthorized = catchThrowableOfType(ApiException.class,
        () -> new CoreV1Api(wrong).listNode().execute());
    assertThat(unauthorized.getCode()).isEqualTo(401);
    assertThat(unauthorized.getResponseBody()).contains("\"reason\":\"Unauthorized\"");

    ApiClient none = Config.fromUrl(server.url(), false);
    assertThat(catchThrowableOfType(ApiException.class,
        () -> new CoreV1Api(none).listNode().execute()).getCode()).isEqualTo(401);
  }

  @Test
  void missingObjectIsNotFoundAndDuplicateIsAlreadyExists(SimulatedApiServer server) {
    ApiException notFound = catchThrowableOfType(ApiException.class,
        () -> core.readNamespacedPod("nope", "default").execute());
    assertThat(notFound.getCode()).isEqualTo(404);
    assertThat(notFound.getResponseBody()).contains("pods \\\"nope\\\" not found");

    V1Pod pod = client.getJSON().deserialize(Fixtures.pod("twice").toString(), V1Pod.class);
    ApiException exists = catchThrowableOfType(ApiException.class, () -> {
      core.createNamespacedPod("default", pod).execute();
      core.createNamespacedPod("default", pod).execute();
    });
    assertThat(exists.getCode()).isEqualTo(409);
    assertThat(exists.getResponseBody()).contains("\"reason\":\"AlreadyExists\"");
  }

  @Test
  void listsPageWithLimitAndContinueAndFilterBySelectors(SimulatedApiServer server)
      throws ApiException {
    server.store().ensureNamespace("paging");
    for (int i = 0; i < 5; i++) {
      ObjectNode pod = Fixtures.pod("page-" + i);
      ((ObjectNode) pod.get("metadata")).put("namespace", "paging")
          .putObject("labels").put("tier", i % 2 == 0 ? "web" : "db");
      ((ObjectNode) pod.get("spec")).put("nodeName", i < 3 ? "node-a" : "node-b");
      server.store().create(ResourceType.PODS, pod);
    }
    V1PodList first = core.listNamespacedPod("paging").limit(2).execute();
    assertThat(first.getItems()).extracting(p -> p.getMetadata().getName())
        .containsExactly("page-0", "page-1");
    assertThat(first.getMetadata().getRemainingItemCount()).isEqualTo(3L);
    server.store().create(ResourceType.PODS, withNamespace(Fixtures.pod("page-late"), "paging"));
    V1PodList second = core.listNamespacedPod("paging").limit(10)
        ._continue(first.getMetadata().getContinue()).execute();
    assertThat(second.getItems()).extracting(p -> p.getMetadata().getName())
        .as("pages come from the snapshot of the first page").containsExactly("page-2", "page-3", "page-4");
    assertThat(second.getMetadata().getContinue()).isNullOrEmpty();

    assertThat(names(core.listNamespacedPod("paging").labelSelector("tier in (web),tier!=db").execute()))
        .containsExactly("page-0", "page-2", "page-4");
    assertThat(names(core.listNamespacedPod("paging").labelSelector("!tier").execute()))
        .containsExactly("page-late");
    assertThat(names(core.listPodForAllNamespaces().fieldSelector("spec.nodeName=node-b").execute()))
        .containsExactly("page-3", "page-4");
    ApiException badField = catchThrowableOfType(ApiException.class,
        () -> core.listPodForAllNamespaces().fieldSelector("spec.bogus=x").execute());
    assertThat(badField.getCode()).isEqualTo(400);
  }

  @Test
  void statusPatchMergesConditionsByType(SimulatedApiServer server) throws ApiException {
    ObjectNode node = Fixtures.object("node_memorypressure-true_gke-cos.json");
    String name = node.path("metadata").path("name").asText();
    server.store().create(ResourceType.NODES, node);
    String patch = "{\"status\":{\"conditions\":[{\"type\":\"MemoryPressure\",\"status\":\"False\","
        + "\"reason\":\"KubeletHasSufficientMemory\"}]}}";
    V1Node patched = PatchUtils.patch(V1Node.class,
        () -> core.patchNodeStatus(name, new V1Patch(patch)).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client);
    assertThat(patched.getStatus().getConditions())
        .hasSize(node.path("status").path("conditions").size())
        .anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("MemoryPressure");
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getMessage()).isEqualTo("kubelet has insufficient memory");
        })
        .anySatisfy(c -> assertThat(c.getType()).isEqualTo("Ready"));
  }

  @Test
  void coreEventsAreServedAsEventsK8sIoToo(SimulatedApiServer server) throws ApiException {
    server.store().create(ResourceType.EVENTS, Fixtures.object("event_evicted_memory_kubelet_aks.json"));
    List<EventsV1Event> events = new EventsV1Api(client).listNamespacedEvent("default")
        .fieldSelector("regarding.name=nginx").execute().getItems();
    assertThat(events).singleElement().satisfies(event -> {
      assertThat(event.getReason()).isEqualTo("Evicted");
      assertThat(event.getNote()).startsWith("The node was low on resource: memory.");
      assertThat(event.getRegarding().getKind()).isEqualTo("Pod");
      assertThat(event.getDeprecatedCount()).isEqualTo(1);
    });
  }

  private static ObjectNode withNamespace(ObjectNode object, String namespace) {
    ((ObjectNode) object.get("metadata")).put("namespace", namespace);
    return object;
  }

  private static List<String> names(V1PodList list) {
    return list.getItems().stream().map(p -> p.getMetadata().getName()).toList();
  }
}
