package io.kubeobserve.agent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeobserve.agent.kubernetes.KubernetesApi;
import io.kubeobserve.core.kubernetes.KubernetesConfig;
import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubeobserve.devstack.cluster.SimulatedNode;
import io.kubeobserve.devstack.cluster.kubelet.KubeletFixtures.SummarySchema;
import io.kubeobserve.devstack.cluster.kubelet.KubeletState;
import io.kubeobserve.devstack.cluster.kubelet.PodSource;
import io.kubeobserve.devstack.cluster.kubelet.SimulatedKubelet;
import io.kubeobserve.devstack.tls.LocalCertificateAuthority;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet client against simulated kubelets: TLS, tokens, both transports, every endpoint. */
class KubeletTransportIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final List<String> ENDPOINTS = List.of("/stats/summary", "/metrics/cadvisor", "/metrics/resource",
      "/metrics");

  @TempDir Path directory;

  private static KubeletScraper scraper(KubeletTransport transport, String node) {
    return new KubeletScraper(transport, new KubeletScraper.Settings(ENDPOINTS, Duration.ofSeconds(30), Duration.ZERO,
        TIMEOUT, false, Pattern.compile("kubelet_volume_stats_.*|kubelet_evictions|kubelet_running_pods"), 900_000), "it", node,
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()), "metrics",
        new SimpleMeterRegistry(), Clock.systemUTC());
  }

  private static List<String> names(ExportMetricsServiceRequest request) {
    return request.getResourceMetricsList().stream().flatMap(r -> r.getScopeMetricsList().stream())
        .flatMap(s -> s.getMetricsList().stream()).map(Metric::getName).distinct().toList();
  }

  /** Writes the token as a projected volume does: a data directory behind a symbolic link that is swapped. */
  private Path project(Path volume, String token, int generation) throws Exception {
    Path data = Files.createDirectories(volume.resolve("..gen" + generation));
    Files.writeString(data.resolve("token"), token);
    Path link = volume.resolve("..data_tmp");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, data.getFileName());
    Files.move(link, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Path file = volume.resolve("token");
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(file, Path.of("..data/token"));
    }
    return file;
  }

  @Test
  void everyEndpointIsScrapedOverVerifiedTlsAndARotatedTokenIsPickedUpWithoutARestart() throws Exception {
    LocalCertificateAuthority ca = LocalCertificateAuthority.create("kubelet-ca");
    KubeletState state = new KubeletState("node-t", Clock.systemUTC());
    try (SimulatedKubelet kubelet = SimulatedKubelet.start(state, PodSource.fixed(List.of()), Set.of("second-token"),
        ca, SummarySchema.V1_24)) {
      Path volume = Files.createDirectories(directory.resolve("serviceaccount"));
      Path token = project(volume, "first-token", 1);
      KubeletTransport transport = new DirectKubeletTransport(kubelet.url(), Optional.of(new TokenFile(token)),
          KubeletTls.verifying(Optional.of(ca.writeCaPem(directory.resolve("ca.pem")))), Optional.empty(), 16 << 20);
      KubeletScraper scraper = scraper(transport, "node-t");

      assertThatThrownBy(() -> scraper.scrape("/metrics/cadvisor"))
          .isInstanceOfSatisfying(KubeletScrapeException.class,
              e -> assertThat(e.reason()).isEqualTo(KubeletScrapeException.Reason.UNAUTHORIZED))
          .hasMessageContaining("answered 401");

      project(volume, "second-token", 2); // the kubelet rotates the projected token
      for (String endpoint : ENDPOINTS) {
        KubeletScraper.Scrape scrape = scraper.scrape(endpoint);
        assertThat(scrape.records()).as(endpoint).isNotEmpty();
      }
      assertThat(names(scraper.scrape("/metrics/cadvisor").records().get(0)))
          .contains("container_cpu_usage_seconds_total", "container_memory_working_set_bytes");
      assertThat(names(scraper.scrape("/stats/summary").records().get(0))).contains("k8s.node.memory.available");
      // no pods, no volumes: only what the filter keeps, if anything
      assertThat(names(scraper.scrape("/metrics").records().get(0)))
          .allMatch(name -> name.startsWith("kubelet_volume_stats_") || name.startsWith("kubelet_evictions") || name.equals("kubelet_running_pods"));
    }
  }

  @Test
  void aKubeletWithAnUntrustedCertificateIsRefusedWithAClearError() throws Exception {
    LocalCertificateAuthority kubeletCa = LocalCertificateAuthority.create("kubelet-ca");
    LocalCertificateAuthority otherCa = LocalCertificateAuthority.create("other-ca");
    Path token = Files.writeString(directory.resolve("token"), "t");
    try (SimulatedKubelet kubelet = SimulatedKubelet.start(new KubeletState("node-u", Clock.systemUTC()),
        PodSource.fixed(List.of()), Set.of("t"), kubeletCa, SummarySchema.V1_24)) {
      Path caFile = otherCa.writeCaPem(directory.resolve("other.pem"));
      KubeletTransport untrusting = new DirectKubeletTransport(kubelet.url(), Optional.of(new TokenFile(token)),
          KubeletTls.verifying(Optional.of(caFile)), Optional.of(caFile), 16 << 20);

      assertThatThrownBy(() -> scraper(untrusting, "node-u").scrape("/metrics/resource"))
          .isInstanceOfSatisfying(KubeletScrapeException.class,
              e -> assertThat(e.reason()).isEqualTo(KubeletScrapeException.Reason.TLS))
          .hasMessageContaining("TLS handshake failed")
          .hasMessageContaining("signed by a CA in kubelet.caFile (" + caFile + ")");

      KubeletTransport insecure = new DirectKubeletTransport(kubelet.url(), Optional.of(new TokenFile(token)),
          KubeletTls.trustingAnything(), Optional.empty(), 16 << 20);
      assertThat(scraper(insecure, "node-u").scrape("/metrics/resource").records()).isNotEmpty();
    }
  }

  @Test
  void theKubeletIsReachedThroughTheApiServersNodesProxy() throws Exception {
    try (SimulatedCluster cluster = SimulatedCluster.builder().nodes(1).podsPerNode(3).speed(1).build().start();
         KubernetesApi api = KubernetesApi.connect(new KubernetesConfig(true,
             Optional.of(cluster.kubeconfig(directory.resolve("kubeconfig")))))) {
      SimulatedNode node = cluster.nodes().get(0);
      KubeletScraper scraper = scraper(new ApiServerProxyTransport(api, node.name(), 16 << 20), node.name());

      KubeletScraper.Scrape cadvisor = scraper.scrape("/metrics/cadvisor");
      KubeletScraper.Scrape summary = scraper.scrape("/stats/summary");

      assertThat(cadvisor.series()).isPositive();
      assertThat(names(cadvisor.records().get(0))).contains("container_memory_working_set_bytes");
      assertThat(names(summary.records().get(0))).contains("k8s.pod.memory.working_set");
      assertThat(names(scraper.scrape("/metrics").records().get(0))).contains("kubelet_running_pods");
      assertThatThrownBy(() -> new ApiServerProxyTransport(api, "no-such-node", 1 << 20)
          .get("/metrics", "text/plain", TIMEOUT)).isInstanceOf(KubeletScrapeException.class);
    }
  }
}
