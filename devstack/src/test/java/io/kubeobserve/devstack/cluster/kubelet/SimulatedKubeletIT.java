package io.kubeobserve.devstack.cluster.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.devstack.cluster.ScenarioClock;
import io.kubeobserve.devstack.tls.LocalCertificateAuthority;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulatedKubeletIT {

  private static final String TOKEN = "kubelet-test-token";
  private static LocalCertificateAuthority ca;
  private static SimulatedKubelet kubelet;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    ca = LocalCertificateAuthority.create("kubelet-it-ca");
    KubeletState state = new KubeletState("sim-node-1", ScenarioClock.startingNow(10));
    kubelet = SimulatedKubelet.start(state, PodSource.fixed(TestPods.PODS), Set.of(TOKEN), ca,
        KubeletFixtures.SummarySchema.V1_24);
    client = HttpClient.newBuilder().sslContext(ca.trustingContext()).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    if (kubelet != null) {
      kubelet.close();
      kubelet.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/stats/summary", "/metrics/cadvisor", "/metrics/resource", "/metrics", "/healthz"})
  void eachEndpointAnswersWithTheTokenAndRefusesWithoutIt(String path) throws Exception {
    URI uri = kubelet.url().resolve(path);
    HttpResponse<String> ok = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    if (path.equals("/stats/summary")) {
      assertThat(ok.body()).contains("\"nodeName\":\"sim-node-1\"").contains(TestPods.WEB.uid());
      assertThat(ok.headers().firstValue("Content-Type")).contains("application/json");
    } else if (path.startsWith("/metrics")) {
      assertThat(ok.body()).startsWith("# HELP ");
      assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    } else {
      assertThat(ok.body()).isEqualTo("ok");
    }

    HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer nope")
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
  }
}
