package io.kubeobserve.router.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.elasticsearch.LocalElasticsearch;
import io.kubeobserve.devstack.junit.WithElasticsearch;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.kafka.TopicRecords;
import io.kubeobserve.router.support.AgentRecords;
import io.kubeobserve.router.support.AgentRecords.Pod;
import io.kubeobserve.router.support.EsRest;
import io.kubeobserve.router.support.Kafka;
import io.kubeobserve.router.support.RouterConfigs;
import io.kubeobserve.router.support.RunningRouter;
import io.kubeobserve.router.support.TcpProxy;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch unreachable for 30 s in the middle of 200,000 log lines: the agent side keeps
 * producing, the indexer pauses with bounded memory, and once Elasticsearch is back every line is
 * indexed exactly once (counted by id), with nothing dead-lettered.
 *
 * <p>The outage is a proxy between the router and the server that cuts every connection
 * (mid-request included) and refuses new ones, as a stopped server does: devstack's
 * LocalElasticsearch cannot stop and start again with its data (close() deletes it).
 */
@WithKafka
@WithElasticsearch
class IndexerOutageIT {

  private static final Logger LOG = LoggerFactory.getLogger(IndexerOutageIT.class);
  private static final int RECORDS = 2_000;
  private static final int LINES_PER_RECORD = 100;
  private static final int TOTAL = RECORDS * LINES_PER_RECORD;
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @Test
  void everyLineIndexedExactlyOnceAcrossAThirtySecondOutage(EmbeddedKafka kafka, LocalElasticsearch elasticsearch)
      throws Exception {
    String name = "outage";
    Kafka.createTopics(kafka.bootstrapServers(), 3, name + "-logs");
    String stream = "logs-kubernetes.container_logs-" + name;
    long started = System.nanoTime();
    try (TcpProxy proxy = TcpProxy.start(elasticsearch.httpPort());
        EsRest es = new EsRest(elasticsearch.httpUrl());
        KafkaProducer<byte[], byte[]> producer = Kafka.producer(kafka.bootstrapServers());
        RunningRouter router = RunningRouter.start(RouterConfigs.load(kafka.bootstrapServers(),
            "kubernetes.enabled=false",
            "kafka.topics.logs=" + name + "-logs",
            "kafka.topics.events=" + name + "-events",
            "kafka.topics.deadletter=" + name + "-deadletter",
            "elasticsearch.urls=http://127.0.0.1:" + proxy.port(),
            "elasticsearch.socketTimeout=10s",
            "elasticsearch.dataStreams.namespace=" + name,
            "indexer.groupId=" + name + "-indexer"))) {
      IndexerMetrics metrics = router.indexerMetrics();
      produce(producer, 0, RECORDS / 4);
      await().atMost(Duration.ofSeconds(60)).until(() -> metrics.indexedCount() >= TOTAL / 8);

      proxy.stop();
      long outageStart = System.nanoTime();
      LOG.info("Elasticsearch unreachable after {} documents indexed", (long) metrics.indexedCount());
      // the agent side goes on producing while Elasticsearch is away
      produce(producer, RECORDS / 4, RECORDS);
      await().atMost(Duration.ofSeconds(20)).until(() -> metrics.pausedConsumers() == 1);
      double indexedDuringOutage = metrics.indexedCount();
      long maxPending = 0;
      while (System.nanoTime() - outageStart < OUTAGE.toNanos()) {
        maxPending = Math.max(maxPending, metrics.pendingDocuments());
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
      }
      // memory held by the router: one bulk request's worth, however much waits in Kafka
      assertThat(maxPending).isLessThanOrEqualTo(router.config().indexer().bulk().maxDocuments() + LINES_PER_RECORD);
      assertThat(metrics.indexedCount()).isEqualTo(indexedDuringOutage);
      assertThat(TOTAL - indexedDuringOutage).isGreaterThan(100_000);

      proxy.start();
      LOG.info("Elasticsearch reachable again");
      await().atMost(Duration.ofSeconds(120)).until(() -> metrics.indexedCount() + metrics.alreadyIndexedCount()
          >= TOTAL && metrics.pendingDocuments() == 0);
      assertThat(es.count(stream)).isEqualTo(TOTAL);
      assertThat(metrics.rejectedCount()).isZero();
      assertThat(metrics.retriedCount()).isPositive();
      LOG.info("indexed {}, already indexed {} (bulks cut mid-request), retried {} in {} s",
          (long) metrics.indexedCount(), (long) metrics.alreadyIndexedCount(), (long) metrics.retriedCount(),
          (System.nanoTime() - started) / 1_000_000_000);
    }
    assertThat(TopicRecords.readAll(kafka.bootstrapServers(), name + "-deadletter")).isEmpty();
  }

  /** Records {@code from} (inclusive) to {@code to}, 100 lines each, spread over 20 pods. */
  private static void produce(KafkaProducer<byte[], byte[]> producer, int from, int to) throws Exception {
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    Instant t0 = Instant.parse("2024-11-20T09:00:00Z");
    for (int r = from; r < to; r++) {
      int podIndex = r % 20;
      Pod pod = new Pod("load", "api-" + podIndex, "00000000-0000-4000-8000-0000000000" + String.format("%02d", podIndex),
          "api", "api", "node-" + (podIndex % 2));
      List<LogRecord> lines = new ArrayList<>(LINES_PER_RECORD);
      for (int l = 0; l < LINES_PER_RECORD; l++) {
        long line = (long) r * LINES_PER_RECORD + l;
        lines.add(AgentRecords.line(pod, "2049:" + podIndex, line * 120, t0.plusMillis(line), "stdout",
            "request " + line + " served in 3 ms"));
      }
      sends.add(producer.send(AgentRecords.batch("outage-logs", pod, lines)));
    }
    for (Future<RecordMetadata> send : sends) {
      send.get();
    }
  }
}
