package io.kubeobserve.router.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeobserve.core.ops.ReadinessCheck;
import io.kubeobserve.devstack.elasticsearch.LocalElasticsearch;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.tls.LocalCertificateAuthority;
import io.kubeobserve.router.support.AgentRecords;
import io.kubeobserve.router.support.AgentRecords.Pod;
import io.kubeobserve.router.support.Kafka;
import io.kubeobserve.router.support.RouterConfigs;
import io.kubeobserve.router.support.RunningRouter;
import io.kubeobserve.router.support.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.message.BasicHeader;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auth and TLS against a real Elasticsearch with its security module on: basic auth, an API key
 * Elasticsearch issued, and HTTPS trusting a CA file. The server's own HTTP layer stays plain
 * (devstack starts it that way): TLS is terminated by a proxy holding a certificate of a local CA,
 * which proves the client side (CA file, handshake, host name), not Elasticsearch's TLS settings.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT {

  private static final String PASSWORD = "kube-observe-secret";
  private static final Pod POD = new Pod("secure", "db-0", "9a9a9a9a-0000-4000-8000-000000000001", "db", "db",
      "node-a");
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalElasticsearch elasticsearch;
  private RestClient admin;

  @BeforeAll
  void start() {
    elasticsearch = LocalElasticsearch.builder().security(PASSWORD).start();
    admin = RestClient.builder(HttpHost.create(elasticsearch.httpUrl()))
        .setDefaultHeaders(new org.apache.http.Header[] {new BasicHeader("Authorization", "Basic "
            + java.util.Base64.getEncoder().encodeToString(("elastic:" + PASSWORD).getBytes()))}).build();
  }

  @AfterAll
  void stop() throws Exception {
    if (admin != null) {
      admin.close();
    }
    if (elasticsearch != null) {
      elasticsearch.close();
    }
  }

  @Test
  void basicAuth(EmbeddedKafka kafka) throws Exception {
    indexesOneLine(kafka, "basic", "elasticsearch.urls=" + elasticsearch.httpUrl(),
        "elasticsearch.username=elastic", "elasticsearch.password=" + PASSWORD);
  }

  /**
   * This distribution cannot issue API keys (its .security index needs the analysis-common module:
   * "Unknown filter type [pattern_capture]"), so a successful API key login is unverified here. What
   * is checked: the key, read from a file, reaches the server as {@code Authorization: ApiKey ...}
   * and an unknown one is refused, which keeps the indexer not ready.
   */
  @Test
  void anApiKeyFromAFileIsSentAndAnUnknownOneRefused(EmbeddedKafka kafka, @TempDir Path directory) throws Exception {
    Path file = Files.writeString(directory.resolve("api-key"),
        java.util.Base64.getEncoder().encodeToString("unknown-id:unknown-key".getBytes()));
    try (RunningRouter router = router(kafka, "apikey", "elasticsearch.urls=" + elasticsearch.httpUrl(),
        "elasticsearch.apiKeyFile=" + file)) {
      ReadinessCheck health = router.service().readinessChecks().get(0);
      await().atMost(Duration.ofSeconds(10)).until(() -> refused(health.status().detail()));
      // "provided credentials": the header reached the server (without one it says "missing authentication")
      assertThat(health.status().detail()).contains("provided credentials");
      assertThat(health.status().ready()).isFalse();
    }
  }

  private static boolean refused(String detail) {
    return detail.contains("401") || detail.contains("security_exception") || detail.contains("unable to authenticate");
  }

  @Test
  void httpsTrustingACaFile(EmbeddedKafka kafka, @TempDir Path directory) throws Exception {
    LocalCertificateAuthority authority = LocalCertificateAuthority.create("kube-observe-test-es-ca");
    Path caFile = authority.writeCaPem(directory.resolve("ca.pem"));
    try (TcpProxy tls = TcpProxy.startTls(elasticsearch.httpPort(), authority.serverContext("localhost"))) {
      indexesOneLine(kafka, "tls", "elasticsearch.urls=https://localhost:" + tls.port(),
          "elasticsearch.caFile=" + caFile, "elasticsearch.username=elastic", "elasticsearch.password=" + PASSWORD);

      // a CA that did not sign the server's certificate: not ready, nothing sent
      Path otherCa = LocalCertificateAuthority.create("some-other-ca").writeCaPem(directory.resolve("other.pem"));
      try (RunningRouter router = router(kafka, "tls-wrong", "elasticsearch.urls=https://localhost:" + tls.port(),
          "elasticsearch.caFile=" + otherCa, "elasticsearch.username=elastic", "elasticsearch.password=" + PASSWORD)) {
        ReadinessCheck health = router.service().readinessChecks().get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> health.status().detail().contains("SSL"));
        assertThat(health.status().ready()).isFalse();
      }
    }
  }

  @Test
  void aWrongPasswordIsNotReady(EmbeddedKafka kafka) throws Exception {
    try (RunningRouter router = router(kafka, "wrong", "elasticsearch.urls=" + elasticsearch.httpUrl(),
        "elasticsearch.username=elastic", "elasticsearch.password=not-the-password")) {
      ReadinessCheck health = router.service().readinessChecks().get(0);
      await().atMost(Duration.ofSeconds(10)).until(() -> refused(health.status().detail()));
      assertThat(health.status().ready()).isFalse();
    }
  }

  private RunningRouter router(EmbeddedKafka kafka, String name, String... sets) throws Exception {
    List<String> all = new ArrayList<>(List.of("kubernetes.enabled=false",
        "kafka.topics.logs=" + name + "-logs", "kafka.topics.events=" + name + "-events",
        "kafka.topics.deadletter=" + name + "-deadletter", "indexer.groupId=" + name,
        "elasticsearch.dataStreams.namespace=" + name.replace('-', '_')));
    all.addAll(List.of(sets));
    return RunningRouter.start(RouterConfigs.load(kafka.bootstrapServers(), all.toArray(String[]::new)));
  }

  private void indexesOneLine(EmbeddedKafka kafka, String name, String... sets) throws Exception {
    Kafka.createTopics(kafka.bootstrapServers(), 1, name + "-logs");
    try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(kafka.bootstrapServers())) {
      producer.send(AgentRecords.batch(name + "-logs", POD, List.of(
          AgentRecords.line(POD, "1:1", 0, Instant.parse("2024-11-20T09:25:00Z"), "stdout", "ready")))).get();
    }
    try (RunningRouter router = router(kafka, name, sets)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> router.indexerMetrics().indexedCount() == 1);
      assertThat(router.service().readinessChecks().get(0).status().ready()).isTrue();
    }
    admin.performRequest(new Request("POST", "/logs-kubernetes.container_logs-" + name + "/_refresh"));
    Request count = new Request("GET", "/logs-kubernetes.container_logs-" + name + "/_count");
    assertThat(JSON.readTree(EntityUtils.toString(admin.performRequest(count).getEntity())).path("count").asLong())
        .isEqualTo(1);
  }
}
