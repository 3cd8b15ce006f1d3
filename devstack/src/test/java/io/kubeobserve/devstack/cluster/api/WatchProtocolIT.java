package io.kubeobserve.devstack.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watch stream's wire format: ADDED first from "0", BOOKMARK objects, and the 410 ERROR event. */
@WithSimulatedApiServer(historyWindow = 3, bookmarkIntervalSeconds = 1)
class WatchProtocolIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void watchFramesEventsBookmarksAndExpiry(SimulatedApiServer server) throws Exception {
    server.store().create(ResourceType.PODS, Fixtures.pod("watched"));
    List<JsonNode> events = watch(server,
        "/api/v1/namespaces/default/pods?watch=true&resourceVersion=0&allowWatchBookmarks=true&timeoutSeconds=2");
    assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
    assertThat(events.get(0).path("object").path("metadata").path("name").asText()).isEqualTo("watched");
    assertThat(events).anySatisfy(event -> {
      assertThat(event.path("type").asText()).isEqualTo("BOOKMARK");
      assertThat(event.path("object").path("kind").asText()).isEqualTo("Pod");
      assertThat(event.path("object").path("apiVersion").asText()).isEqualTo("v1");
      assertThat(event.path("object").path("metadata").path("resourceVersion").asLong())
          .isEqualTo(server.store().resourceVersion());
    });

    long old = server.store().resourceVersion();
    for (int i = 0; i < 5; i++) {
      server.store().ensureNamespace("churn-" + i);
    }
    List<JsonNode> expired = watch(server, "/api/v1/pods?watch=1&resourceVersion=" + old);
    assertThat(expired).singleElement().satisfies(event -> {
      assertThat(event.path("type").asText()).isEqualTo("ERROR");
      assertThat(event.path("object").path("kind").asText()).isEqualTo("Status");
      assertThat(event.path("object").path("code").asInt()).isEqualTo(410);
      assertThat(event.path("object").path("reason").asText()).isEqualTo("Expired");
    });

    HttpResponse<String> exact = client(server).send(request(server,
        "/api/v1/pods?resourceVersion=" + old + "&resourceVersionMatch=Exact"),
        HttpResponse.BodyHandlers.ofString());
    assertThat(exact.statusCode()).isEqualTo(410);
    assertThat(MAPPER.readTree(exact.body()).path("reason").asText()).isEqualTo("Expired");
  }

  private static List<JsonNode> watch(SimulatedApiServer server, String path) throws Exception {
    HttpResponse<java.util.stream.Stream<String>> response = client(server)
        .send(request(server, path), HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    for (String line : (Iterable<String>) response.body()::iterator) {
      events.add(MAPPER.readTree(line));
    }
    return events;
  }

  private static HttpClient client(SimulatedApiServer server) {
    return HttpClient.newBuilder().sslContext(server.certificateAuthority().trustingContext())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest request(SimulatedApiServer server, String path) {
    return HttpRequest.newBuilder(URI.create(server.url() + path))
        .header("Authorization", "Bearer " + server.token()).timeout(Duration.ofSeconds(20)).build();
  }
}
