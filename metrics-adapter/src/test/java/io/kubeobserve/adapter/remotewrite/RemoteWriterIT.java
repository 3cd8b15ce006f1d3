package io.kubeobserve.adapter.remotewrite;

import io.kubeobserve.devstack.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kubeobserve.adapter.AdapterConfig;
import io.kubeobserve.adapter.KubeletPayloads;
import io.kubeobserve.adapter.store.SeriesStore;
import io.kubeobserve.core.config.Secret;
import io.kubeobserve.core.contract.OtlpCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** The remote writer against a receiver that answers what the test says. */
class RemoteWriterIT {

  record Received(Map<String, String> headers, List<WriteRequests.TimeSeries> series) {}

  private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();
  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private HttpServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/api/v1/write", exchange -> {
      try (exchange) {
        byte[] body = Snappy.uncompress(exchange.getRequestBody().readAllBytes());
        Integer status = answers.poll();
        int answer = status == null ? 204 : status;
        if (answer == 204) {
          received.add(new Received(Map.of(
              "Content-Encoding", exchange.getRequestHeaders().getFirst("Content-Encoding"),
              "Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"),
              "X-Prometheus-Remote-Write-Version", exchange.getRequestHeaders().getFirst("X-Prometheus-Remote-Write-Version"),
              "X-Scope-OrgID", exchange.getRequestHeaders().getFirst("X-Scope-OrgID"),
              "Authorization", exchange.getRequestHeaders().getFirst("Authorization")), WriteRequests.decode(body)));
        }
        exchange.sendResponseHeaders(answer, -1);
      }
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private RemoteWriter writer(RemoteWriteQueue queue) {
    AdapterConfig.RemoteWrite config = new AdapterConfig.RemoteWrite(
        Optional.of(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/write")),
        Duration.ofSeconds(5), 1000, 10_000, Duration.ofMillis(20), Duration.ofMillis(100),
        Map.of("X-Scope-OrgID", "tenant-a"), Optional.of(Secret.of("s3cret")));
    return new RemoteWriter(config, queue, meters);
  }

  private RemoteWriteQueue queueWithSamples() throws Exception {
    SeriesStore store = new SeriesStore(new SeriesStore.Settings(Duration.ofMinutes(2), 100_000, 100_000, 100_000, ""),
        new MutableClock(Instant.parse("2025-03-01T12:00:00Z")), meters);
    RemoteWriteQueue queue = new RemoteWriteQueue(10_000, meters);
    store.listener(queue);
    store.ingest(OtlpCodec.encodeMetrics(KubeletPayloads.cadvisor("lab")), 0, 0, false);
    return queue;
  }

  @Test
  void failedRequestsAreRetriedUntilAccepted() throws Exception {
    answers.addAll(List.of(503, 429, 500));
    RemoteWriteQueue queue = queueWithSamples();

    RemoteWriter writer = writer(queue).start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().mapToInt(r -> r.series().size()).sum() == 3181);
    } finally {
      writer.close();
    }

    assertThat(meters.find("kube_observe.adapter.remote_write.retries").counter().count()).isEqualTo(3);
    assertThat(meters.find("kube_observe.adapter.remote_write.samples.sent").counter().count()).isEqualTo(3181);
    assertThat(received.peek().headers()).containsEntry("Content-Encoding", "snappy")
        .containsEntry("Content-Type", "application/x-protobuf")
        .containsEntry("X-Prometheus-Remote-Write-Version", "0.1.0")
        .containsEntry("X-Scope-OrgID", "tenant-a")
        .containsEntry("Authorization", "Bearer s3cret");
    assertThat(queue.lagSeconds()).isZero();
  }

  @Test
  void aBatchTheReceiverRejectsIsDroppedAndCounted() throws Exception {
    answers.add(400);
    RemoteWriteQueue queue = queueWithSamples();

    RemoteWriter writer = writer(queue).start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().mapToInt(r -> r.series().size()).sum()
          == 3181 - 1000);
    } finally {
      writer.close();
    }

    assertThat(meters.find("kube_observe.adapter.remote_write.samples.dropped").tag("reason", "rejected").counter()
        .count()).isEqualTo(1000);
  }

  @Test
  void aFullQueueDropsNewSamplesAndCountsThem() throws Exception {
    RemoteWriteQueue queue = new RemoteWriteQueue(100, meters);
    SeriesStore store = new SeriesStore(new SeriesStore.Settings(Duration.ofMinutes(2), 100_000, 100_000, 100_000, ""),
        new MutableClock(Instant.parse("2025-03-01T12:00:00Z")), meters);
    store.listener(queue);

    store.ingest(OtlpCodec.encodeMetrics(KubeletPayloads.cadvisor("lab")), 0, 0, false);

    assertThat(queue.size()).isEqualTo(100);
    assertThat(meters.find("kube_observe.adapter.remote_write.samples.dropped").tag("reason", "queue_full").counter()
        .count()).isEqualTo(3081);
  }
}
