package io.kubeobserve.alerts.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.TestRecords;
import io.kubeobserve.alerts.TestRecords.Pod;
import io.kubeobserve.alerts.support.Engine;
import io.kubeobserve.alerts.support.Receiver;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new engine on topics that already hold days of history alerts on what happened within
 * {@code engine.firstStartLookback}, not on everything in retention; once it has run, a restart
 * reads everything that came while it was down.
 */
@WithKafka
class FirstStartIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path stateDir;

  @Test
  void aFirstStartAlertsOnTheLookbackOnlyAndARestartOnEverythingSinceItStopped(EmbeddedKafka kafka) throws Exception {
    String prefix = "it-firststart-" + Long.toHexString(System.nanoTime()).substring(8);
    try (Receiver receiver = Receiver.start();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      AlertsConfig config = Engine.config(kafka.bootstrapServers(), prefix, stateDir, receiver.url(),
          "engine.firstStartLookback=1h", "incidents.quietPeriod=1h");
      // the topics exist and hold history before the engine is installed
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        admin.createTopics(AlertsTopology.inputTopics(config).stream()
            .map(topic -> new NewTopic(topic, 4, (short) 1)).toList()).all().get();
      }
      Instant now = Instant.now();
      Pod dayOld = Pod.of("node-1", "shop", "cart-7d9f-old01");
      Pod recent = Pod.of("node-1", "shop", "cart-7d9f-new01");
      Pod whileDown = Pod.of("node-2", "shop", "cart-7d9f-down1");
      send(producer, prefix, dayOld, now.minus(Duration.ofHours(26)));
      send(producer, prefix, recent, now.minus(Duration.ofMinutes(10)));

      try (Engine engine = Engine.start(config)) {
        await().atMost(WAIT).until(() -> receiver.accepted().size() >= 1);
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
        assertThat(receiver.accepted()).extracting(r -> r.status() + " " + r.label("pod"))
            .containsExactly("firing " + recent.name());
      }

      send(producer, prefix, whileDown, now);
      try (Engine engine = Engine.start(config)) {
        await().atMost(WAIT).until(() -> receiver.accepted().size() >= 2);
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
        assertThat(receiver.accepted()).extracting(r -> r.status() + " " + r.label("pod"))
            .containsExactly("firing " + recent.name(), "firing " + whileDown.name());
      }
    }
  }

  /** An OOM kill of {@code pod}, written to the events topic at {@code at} (the record's time and its own). */
  private static void send(KafkaProducer<byte[], byte[]> producer, String prefix, Pod pod, Instant at)
      throws Exception {
    producer.send(new ProducerRecord<>(prefix + "-events", null, at.toEpochMilli(),
        pod.uid().getBytes(StandardCharsets.UTF_8),
        OtlpCodec.encodeLogs(TestRecords.oomKilled(pod, "app", 1, at, List.of())))).get();
  }
}
