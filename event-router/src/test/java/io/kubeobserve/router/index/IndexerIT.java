package io.kubeobserve.router.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordHeaders;
import io.kubeobserve.devstack.elasticsearch.LocalElasticsearch;
import io.kubeobserve.devstack.junit.WithElasticsearch;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.kafka.TopicRecords;
import io.kubeobserve.router.RouterConfig;
import io.kubeobserve.router.replay.DeadletterReplay;
import io.kubeobserve.router.support.AgentRecords;
import io.kubeobserve.router.support.AgentRecords.Pod;
import io.kubeobserve.router.support.EsRest;
import io.kubeobserve.router.support.Kafka;
import io.kubeobserve.router.support.RunningRouter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The indexer against a real broker and a real Elasticsearch, with a {@code logs-*-*} template of
 * priority 100 installed first, as real clusters ship one. Each test has its own topics and data
 * stream namespace.
 */
@WithKafka
@WithElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndexerIT {

  private static final Pod WEB = new Pod("shop", "web-7d4b9c-x2x9k", "5f0c1e7a-1111-4c2b-9c55-0a1b2c3d4e5f", "web",
      "web", "node-a");
  private static final Instant T0 = Instant.parse("2024-11-20T09:25:00.123456789Z");

  private EmbeddedKafka kafka;
  private EsRest es;
  private KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  void builtInTemplateFirst(EmbeddedKafka kafka, LocalElasticsearch elasticsearch) {
    this.kafka = kafka;
    this.es = new EsRest(elasticsearch.httpUrl());
    this.producer = Kafka.producer(kafka.bootstrapServers());
    // as Elasticsearch's own logs template: every string a text field with a keyword sub-field
    es.call("PUT", "/_index_template/logs", """
        {"index_patterns": ["logs-*-*"], "priority": 100, "data_stream": {},
         "template": {"mappings": {"dynamic_templates": [{"strings": {"match_mapping_type": "string",
           "mapping": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}}}}],
           "properties": {"@timestamp": {"type": "date"}}}},
         "_meta": {"description": "stands in for the built-in logs template"}}
        """);
  }

  @AfterAll
  void close() throws Exception {
    producer.close();
    es.close();
  }

  private RunningRouter router(LocalElasticsearch elasticsearch, String name, String... sets) throws Exception {
    List<String> all = new ArrayList<>(List.of(
        "kubernetes.enabled=false",
        "kafka.topics.logs=" + name + "-logs",
        "kafka.topics.events=" + name + "-events",
        "kafka.topics.deadletter=" + name + "-deadletter",
        "elasticsearch.urls=" + elasticsearch.httpUrl(),
        "elasticsearch.dataStreams.namespace=" + name.replace('-', '_'),
        "indexer.groupId=" + name + "-indexer"));
    all.addAll(List.of(sets));
    RouterConfig config = io.kubeobserve.router.support.RouterConfigs.load(kafka.bootstrapServers(),
        all.toArray(String[]::new));
    return RunningRouter.start(config);
  }

  private static String logsStream(String name) {
    return "logs-kubernetes.container_logs-" + name.replace('-', '_');
  }

  @Test
  void agentRecordsAreSearchableWithTheirFieldsAndAReplayAddsNothing(LocalElasticsearch elasticsearch)
      throws Exception {
    String name = "fields";
    Kafka.createTopics(kafka.bootstrapServers(), 3, name + "-logs");
    List<LogRecord> lines = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      lines.add(AgentRecords.line(WEB, "2049:131", i * 100L, T0.plusMillis(i), i % 5 == 0 ? "stderr" : "stdout",
          "GET /cart/" + i + " 200"));
    }
    producer.send(AgentRecords.batch(name + "-logs", WEB, lines.subList(0, 20))).get();
    producer.send(AgentRecords.batch(name + "-logs", WEB, lines.subList(20, 50))).get();
    String stream = logsStream(name);
    try (RunningRouter router = router(elasticsearch, name)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> es.count(stream) == 50);
    }
    JsonNode hits = es.search(stream, """
        {"query": {"bool": {"filter": [
          {"term": {"resource.attributes.k8s.namespace.name": "shop"}},
          {"term": {"resource.attributes.k8s.pod.name": "web-7d4b9c-x2x9k"}},
          {"term": {"resource.attributes.k8s.container.name": "web"}},
          {"term": {"resource.attributes.k8s.deployment.name": "web"}},
          {"term": {"attributes.log.iostream": "stderr"}},
          {"match": {"message": "cart"}}]}},
         "sort": [{"@timestamp": "asc"}], "size": 100}
        """).path("hits");
    assertThat(hits.path("total").path("value").asInt()).isEqualTo(10);
    JsonNode first = hits.path("hits").get(0);
    assertThat(first.path("_source").path("@timestamp").asText()).isEqualTo("2024-11-20T09:25:00.123456789Z");
    assertThat(first.path("_source").path("message").asText()).isEqualTo("GET /cart/0 200");
    assertThat(first.path("_id").asText())
        .isEqualTo(first.path("_source").path("attributes").path(Attributes.LOG_RECORD_UID).asText());
    assertThat(first.path("_index").asText()).startsWith(".ds-" + stream + "-");

    // our template won over the priority-100 logs-*-* one: keyword fields, date_nanos, our _meta
    JsonNode mapping = es.call("GET", "/" + stream + "/_mapping", null);
    JsonNode properties = mapping.elements().next().path("mappings").path("properties");
    assertThat(properties.path("@timestamp").path("type").asText()).isEqualTo("date_nanos");
    assertThat(properties.path("resource").path("properties").path("attributes").path("properties")
        .path("k8s.namespace.name").path("type").asText()).isEqualTo("keyword");
    assertThat(mapping.elements().next().path("mappings").path("_meta").path("managed_by").asText())
        .isEqualTo("kube-observe");
    JsonNode template = es.call("GET", "/_index_template/kube-observe-kubernetes.container_logs", null);
    assertThat(template.path("index_templates").get(0).path("index_template").path("priority").asInt())
        .isGreaterThan(100);

    // a replay of the topic from offset 0 (a new consumer group) leaves the count unchanged
    try (RunningRouter replay = router(elasticsearch, name, "indexer.groupId=" + name + "-replay")) {
      AtomicReference<IndexerMetrics> metrics = new AtomicReference<>();
      await().atMost(Duration.ofSeconds(60)).until(() -> alreadyIndexed(replay, metrics) == 50);
      assertThat(metrics.get().indexedCount()).isZero();
    }
    assertThat(es.count(stream)).isEqualTo(50);
  }

  private static double alreadyIndexed(RunningRouter runtime, AtomicReference<IndexerMetrics> holder) {
    return holder.updateAndGet(current -> current != null ? current : metricsOf(runtime)).alreadyIndexedCount();
  }

  private static IndexerMetrics metricsOf(RunningRouter runtime) {
    return runtime.indexerMetrics();
  }

  @Test
  void aMappingConflictGoesToDeadLetterWithTheReasonAndTheRestIsIndexed(LocalElasticsearch elasticsearch)
      throws Exception {
    String name = "conflict";
    Kafka.createTopics(kafka.bootstrapServers(), 1, name + "-logs");
    List<LogRecord> lines = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      KeyValue[] extra = i == 3
          ? new KeyValue[] {OtlpValues.string(Attributes.KUBE_OBSERVE_LOG_PARTIAL, "perhaps")}
          : new KeyValue[] {OtlpValues.bool(Attributes.KUBE_OBSERVE_LOG_PARTIAL, false)};
      lines.add(AgentRecords.line(WEB, "2049:7", i * 80L, T0.plusSeconds(i), "stdout", "line " + i, extra));
    }
    producer.send(AgentRecords.batch(name + "-logs", WEB, lines.subList(0, 5))).get();
    producer.send(AgentRecords.batch(name + "-logs", WEB, lines.subList(5, 10))).get();
    String stream = logsStream(name);
    try (RunningRouter router = router(elasticsearch, name)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> es.count(stream) == 9
          && TopicRecords.readAll(kafka.bootstrapServers(), name + "-deadletter").size() == 1);
      assertThat(metricsOf(router).rejectedCount()).isEqualTo(1);
    }
    List<ConsumerRecord<byte[], byte[]>> dead = TopicRecords.readAll(kafka.bootstrapServers(), name + "-deadletter");
    assertThat(dead).hasSize(1);
    ConsumerRecord<byte[], byte[]> letter = dead.get(0);
    assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.DEADLETTER_ERROR).orElseThrow())
        .contains("rejected 1 of 5 documents")
        .contains("kube_observe.log.partial")
        .containsAnyOf("mapper_parsing_exception", "document_parsing_exception");
    assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.DEADLETTER_SOURCE_TOPIC)).contains(name + "-logs");
    assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.DEADLETTER_SOURCE_OFFSET)).contains("0");
    assertThat(RecordHeaders.lastString(letter.headers(), RecordHeaders.DEADLETTER_SERVICE)).contains("event-router");
    assertThat(letter.key()).isEqualTo(WEB.uid().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(letter.headers().lastHeader(RecordHeaders.TRACEPARENT)).isNull();
  }

  @Test
  void aReplayOfTheDeadLetterTopicIndexesWhatWasRejectedOnceTheCauseIsFixed(LocalElasticsearch elasticsearch)
      throws Exception {
    String name = "replay";
    Kafka.createTopics(kafka.bootstrapServers(), 1, name + "-logs");
    String stream = logsStream(name);
    // 1200 distinct attributes: more than the index's default limit of 1000 fields
    KeyValue[] many = new KeyValue[1200];
    for (int i = 0; i < many.length; i++) {
      many[i] = OtlpValues.string("app.field_" + i, "v");
    }
    producer.send(AgentRecords.batch(name + "-logs", WEB, List.of(
        AgentRecords.line(WEB, "2049:9", 0, T0, "stdout", "small"),
        AgentRecords.line(WEB, "2049:9", 10, T0.plusMillis(1), "stdout", "wide", many)))).get();
    try (RunningRouter router = router(elasticsearch, name)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> es.count(stream) == 1
          && TopicRecords.readAll(kafka.bootstrapServers(), name + "-deadletter").size() == 1);
      assertThat(RecordHeaders.lastString(TopicRecords.readAll(kafka.bootstrapServers(), name + "-deadletter").get(0)
          .headers(), RecordHeaders.DEADLETTER_ERROR).orElseThrow()).contains("Limit of total fields [1000]");

      es.call("PUT", "/" + stream + "/_settings", "{\"index.mapping.total_fields.limit\": 5000}");
      RouterConfig config = router.config();
      DeadletterReplay.Result result = new DeadletterReplay(config.kafka())
          .run(DeadletterReplay.Options.defaults(config.kafka()));
      assertThat(result.replayed()).isEqualTo(1);
      assertThat(result.replayedByTopic()).containsEntry(name + "-logs", 1L);
      await().atMost(Duration.ofSeconds(60)).until(() -> es.count(stream) == 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> metricsOf(router).alreadyIndexedCount() == 1);
      // a second run finds nothing new
      assertThat(new DeadletterReplay(config.kafka()).run(DeadletterReplay.Options.defaults(config.kafka()))
          .replayed()).isZero();
    }
    assertThat(TopicRecords.readAll(kafka.bootstrapServers(), name + "-deadletter")).hasSize(1);
    assertThat(Optional.of(es.count(stream))).contains(2L);
  }
}
