package io.kubeobserve.alerts.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.TestRecords;
import io.kubeobserve.alerts.TestRecords.Pod;
import io.kubeobserve.alerts.incident.AlertRecords;
import io.kubeobserve.alerts.support.Engine;
import io.kubeobserve.alerts.support.Receiver;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordHeaders;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.kafka.TopicRecords;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end on a real broker: records in the contract's format on {@code k8s-events}
 * and {@code k8s-metrics}, messages at a local webhook receiver, states on {@code k8s-alerts}.
 */
@WithKafka
class AlertEngineIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private EmbeddedKafka kafka;
  private Receiver receiver;
  private KafkaProducer<byte[], byte[]> producer;
  private String prefix;
  @TempDir
  Path stateDir;

  @BeforeEach
  void setUp(EmbeddedKafka kafka, TestInfo test) throws Exception {
    this.kafka = kafka;
    this.receiver = Receiver.start();
    this.prefix = "it-" + test.getTestMethod().orElseThrow().getName().substring(0, 12).toLowerCase() + "-"
        + Long.toHexString(System.nanoTime()).substring(8);
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    producer.close();
    receiver.close();
  }

  private AlertsConfig config(Path dir, String... sets) {
    return Engine.config(kafka.bootstrapServers(), prefix, dir, receiver.url(), sets);
  }

  private Engine start(AlertsConfig config) throws Exception {
    Engine engine = Engine.start(config);
    toClose.add(engine);
    return engine;
  }

  private void send(String key, ExportLogsServiceRequest request) throws Exception {
    producer.send(new ProducerRecord<>(prefix + "-events", key.getBytes(StandardCharsets.UTF_8),
        OtlpCodec.encodeLogs(request))).get();
  }

  @Test
  void anOomKillFromAgentIsOneFiringAndOneResolvedMessageAcrossAGracefulRestart() throws Exception {
    AlertsConfig config = config(stateDir, "incidents.quietPeriod=8s");
    Engine engine = start(config);
    Pod pod = Pod.of("node-1", "shop", "checkout-7d9f-abcde");
    Instant killedAt = Instant.now();
    List<String> lastLines = List.of("allocating 512Mi", "java.lang.OutOfMemoryError");
    send(pod.uid(), TestRecords.oomKilled(pod, "checkout", 1, killedAt, lastLines));
    send(pod.uid(), TestRecords.oomKilled(pod, "checkout", 1, killedAt, lastLines));

    await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
    Receiver.Request firing = receiver.accepted().get(0);
    assertThat(firing.status()).isEqualTo("firing");
    assertThat(firing.alertname()).isEqualTo("OOMKilled");
    assertThat(firing.label("namespace")).isEqualTo("shop");
    assertThat(firing.label("pod")).isEqualTo("checkout-7d9f-abcde");
    assertThat(firing.label("container")).isEqualTo("checkout");
    assertThat(firing.label("node")).isEqualTo("node-1");
    assertThat(firing.annotation("last_log_lines")).contains("java.lang.OutOfMemoryError");
    assertThat(Duration.between(killedAt, firing.at())).isLessThan(Duration.ofSeconds(10));

    await().atMost(WAIT).until(() -> meter(engine, "kube_observe_alerts_detection_latency_seconds_count") == 1.0);
    assertThat(meter(engine, "kube_observe_alerts_incidents_open")).isEqualTo(1.0);
    assertThat(meter(engine, "kafka_consumer_fetch_manager_records_lag_max")).as("the engine's input lag").isNotNull();

    engine.close();
    Engine restarted = start(config);
    await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
    assertThat(receiver.accepted()).extracting(Receiver.Request::status).containsExactly("firing", "resolved");
    assertThat(receiver.accepted()).extracting(Receiver.Request::fingerprint).containsOnly(firing.fingerprint());

    await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
    assertThat(receiver.accepted()).hasSize(2);
    assertThat(meter(restarted, "kube_observe_alerts_notifications_possible_duplicates_total")).isEqualTo(0.0);
    assertThat(meter(restarted, "kube_observe_alerts_detection_latency_seconds_count")).isEqualTo(0.0);

    List<LogRecord> states = readAll(prefix + "-alerts").stream().map(AlertEngineIT::logRecord).toList();
    assertThat(states).extracting(r -> text(r, AlertRecords.STATUS)).containsSubsequence("firing", "resolved");
    assertThat(states).extracting(r -> text(r, AlertRecords.FINGERPRINT)).containsOnly(firing.fingerprint());
    assertThat(states).extracting(r -> text(r, Attributes.LOG_RECORD_UID)).doesNotHaveDuplicates();
  }

  @Test
  void thirtyEvictionsUnderMemoryPressureOnOneNodeAreOneIncidentListedWhenItResolves() throws Exception {
    start(config(stateDir, "incidents.updateInterval=2s"));
    Instant now = Instant.now();
    send("uid-node-1", TestRecords.nodeCondition("node-1", "MemoryPressure", "True", "False", now));
    await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
    for (int i = 0; i < 30; i++) {
      Pod pod = Pod.of("node-1", "shop", "cart-7d9f-p" + i);
      send(pod.uid(), TestRecords.evicted(pod, "memory", now.plusSeconds(i)));
      send(pod.uid(), TestRecords.evictedEvent(pod, "memory", now.plusSeconds(i), false));
    }
    await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
    send("uid-node-1", TestRecords.nodeCondition("node-1", "MemoryPressure", "False", "True", now.plusSeconds(60)));
    await().atMost(WAIT).until(() -> receiver.accepted().stream().anyMatch(r -> r.status().equals("resolved")));

    List<Receiver.Request> all = receiver.accepted();
    assertThat(all).extracting(Receiver.Request::fingerprint).containsOnly(all.get(0).fingerprint());
    assertThat(all).extracting(Receiver.Request::alertname).containsOnly("NodeMemoryPressure");
    assertThat(all.get(0).status()).isEqualTo("firing");
    assertThat(all).filteredOn(r -> r.status().equals("resolved")).hasSize(1);
    assertThat(all.size()).as("FIRING, at most a few UPDATED (one per 2 s), RESOLVED").isBetween(2, 5);
    String members = all.get(all.size() - 1).annotation("members");
    for (int i = 0; i < 30; i++) {
      assertThat(members).contains("shop/cart-7d9f-p" + i + " (memory)");
    }
  }

  @Test
  void aReceiverDownForThirtySecondsGetsTheMessageOnceWhenItIsBackAndHoldsUpNoOtherReceiver() throws Exception {
    try (Receiver team = Receiver.start()) {
      receiver.down(true);
      start(config(stateDir, "receivers[1].name=team", "receivers[1].type=webhook", "receivers[1].url=" + team.url()));
      Instant now = Instant.now();
      send("uid-node-2", TestRecords.nodeCondition("node-2", "DiskPressure", "True", "False", now));
      // chat's messages come first in the outbox; team's must not wait the 30 s chat is down
      await().atMost(Duration.ofSeconds(10)).until(() -> team.accepted().size() == 1);
      assertThat(team.accepted()).extracting(Receiver.Request::alertname).containsExactly("NodeDiskPressure");
      await().atMost(WAIT).until(() -> receiver.refused() >= 3);
      await().pollDelay(Duration.ofSeconds(30)).atMost(WAIT).until(() -> true);
      assertThat(receiver.accepted()).isEmpty();
      receiver.down(false);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
      await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
      assertThat(receiver.accepted()).singleElement()
          .satisfies(request -> assertThat(request.alertname()).isEqualTo("NodeDiskPressure"));
      assertThat(team.accepted()).hasSize(1);
    }
  }

  @Test
  void twoInstancesOnFourPartitionsSendEachMessageOnceAlsoWhenOneStops(@TempDir Path otherStateDir)
      throws Exception {
    Engine first = start(config(stateDir, "incidents.quietPeriod=10s"));
    Engine second = start(config(otherStateDir, "incidents.quietPeriod=10s"));
    Instant now = Instant.now();
    Set<String> pods = new java.util.TreeSet<>();
    for (int i = 0; i < 8; i++) {
      Pod pod = Pod.of("node-" + i, "shop", "api-5f6-p" + i);
      pods.add(pod.name());
      send(pod.uid(), TestRecords.oomKilled(pod, "api", 0, now, List.of()));
    }
    await().atMost(WAIT).until(() -> receiver.accepted().size() == 8);
    first.close();
    await().atMost(WAIT).until(() -> receiver.accepted().size() == 16);
    await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
    Map<String, List<String>> byPod = receiver.accepted().stream().collect(Collectors.groupingBy(
        request -> request.label("pod"), Collectors.mapping(Receiver.Request::status, Collectors.toList())));
    assertThat(byPod.keySet()).isEqualTo(pods);
    byPod.values().forEach(statuses -> assertThat(statuses).containsExactly("firing", "resolved"));
    assertThat(second.service()).isNotNull();
  }

  @Test
  void theSilencesApiHoldsBackMatchingIncidentsUntilTheSilenceIsExpired() throws Exception {
    Engine engine = start(config(stateDir));
    int port = engine.service().silencesPort().orElseThrow();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/api/v1/silences")).POST(HttpRequest.BodyPublishers.ofString(
            "{\"matchers\":{\"namespace\":\"batch\"},\"until\":\"" + Instant.now().plusSeconds(3600)
                + "\",\"comment\":\"nightly jobs\",\"createdBy\":\"ops\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    await().atMost(WAIT).until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/v1/silences")).build(), HttpResponse.BodyHandlers.ofString()).body().contains(id));

    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/v1/silences")).POST(
            HttpRequest.BodyPublishers.ofString("{\"matchers\":{\"a\":\"b\"},\"until\":\"soon\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("until");

    Instant now = Instant.now();
    Pod quiet = Pod.of("node-1", "batch", "report-1a2-x");
    Pod loud = Pod.of("node-1", "shop", "web-1a2-y");
    send(quiet.uid(), TestRecords.oomKilled(quiet, "report", 0, now, List.of()));
    send(loud.uid(), TestRecords.oomKilled(loud, "web", 0, now, List.of()));
    await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
    await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
    assertThat(receiver.accepted()).extracting(r -> r.label("namespace")).containsExactly("shop");

    HttpResponse<String> expired = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/v1/silences/" + id)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(expired.statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
    assertThat(receiver.accepted()).extracting(r -> r.label("namespace")).containsExactly("shop", "batch");
  }

  @Test
  void aRecordThatIsNotOtlpIsDeadLetteredAlertedOnAndTheNextOneStillAlerts() throws Exception {
    start(config(stateDir));
    producer.send(new ProducerRecord<>(prefix + "-events", "k".getBytes(StandardCharsets.UTF_8),
        "not protobuf \u0000\u0001".getBytes(StandardCharsets.UTF_8))).get();
    Pod pod = Pod.of("node-1", "shop", "after-1a2-z");
    send(pod.uid(), TestRecords.oomKilled(pod, "after", 0, Instant.now(), List.of()));
    await().atMost(WAIT).until(() -> !receiver.accepted("OOMKilled").isEmpty());
    await().atMost(WAIT).until(() -> !readAll(prefix + "-deadletter").isEmpty());
    ConsumerRecord<byte[], byte[]> dead = readAll(prefix + "-deadletter").get(0);
    assertThat(RecordHeaders.lastString(dead.headers(), RecordHeaders.DEADLETTER_ERROR)).hasValueSatisfying(
        error -> assertThat(error).contains("not an OTLP ExportLogsServiceRequest"));
    assertThat(RecordHeaders.lastString(dead.headers(), RecordHeaders.DEADLETTER_SOURCE_TOPIC))
        .contains(prefix + "-events");

    await().atMost(WAIT).until(() -> !receiver.accepted("DeadLetters").isEmpty());
    Receiver.Request deadLetters = receiver.accepted("DeadLetters").get(0);
    assertThat(deadLetters.status()).isEqualTo("firing");
    assertThat(deadLetters.annotation("summary")).contains(prefix + "-events").contains("alert-engine");
    assertThat(deadLetters.annotation("message")).contains("not an OTLP ExportLogsServiceRequest");
  }

  /** The value of a meter on the engine's /metrics (the first series of that name). */
  private static double meter(Engine engine, String name) throws Exception {
    return engine.meter(name, "");
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return TopicRecords.readAll(kafka.bootstrapServers(), topic);
  }

  private static LogRecord logRecord(ConsumerRecord<byte[], byte[]> record) {
    try {
      return OtlpCodec.decodeLogs(record.value()).getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String text(LogRecord record, String key) {
    return OtlpValues.stringAttribute(record.getAttributesList(), key).orElse("");
  }
}
