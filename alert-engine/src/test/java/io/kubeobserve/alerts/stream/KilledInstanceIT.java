package io.kubeobserve.alerts.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.alerts.TestRecords;
import io.kubeobserve.alerts.TestRecords.Pod;
import io.kubeobserve.alerts.support.Engine;
import io.kubeobserve.alerts.support.Receiver;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two engine instances share 4 partitions; one runs in its own JVM and is killed with SIGKILL while
 * its request is at the receiver, before it could record the send. The other takes its partitions
 * over: every incident still gets its FIRING and its RESOLVED message, and a message re-sent
 * because of the kill is counted in {@code kube_observe.alerts.notifications.possible_duplicates}.
 */
@WithKafka
class KilledInstanceIT {

  private static final Logger LOG = LoggerFactory.getLogger(KilledInstanceIT.class);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String[] SETS = {"incidents.quietPeriod=25s"};

  @Test
  void incidentsOfAKilledInstanceAreSentByTheOtherAndAReSendIsCounted(EmbeddedKafka kafka, @TempDir Path killedDir,
      @TempDir Path survivorDir) throws Exception {
    String prefix = "killed-" + Long.toHexString(System.nanoTime()).substring(8);
    try (Receiver receiver = Receiver.start();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
            new ByteArraySerializer(), new ByteArraySerializer())) {
      receiver.hold(Duration.ofSeconds(3));
      Process killed = startProcess(kafka.bootstrapServers(), prefix, killedDir, receiver.url());
      try (Engine survivor = Engine.start(Engine.config(kafka.bootstrapServers(), prefix, survivorDir,
          receiver.url(), SETS))) {
        List<String> pods = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < 8; i++) {
          Pod pod = Pod.of("node-" + i, "shop", "api-5f6-p" + i);
          pods.add(pod.name());
          producer.send(new ProducerRecord<>(prefix + "-events", pod.uid().getBytes(StandardCharsets.UTF_8),
              OtlpCodec.encodeLogs(TestRecords.oomKilled(pod, "api", 0, now, List.of())))).get();
        }
        await().atMost(WAIT).until(() -> receiver.accepted().size() >= 3);
        killed.destroyForcibly(); // SIGKILL, while its dispatcher waits for the receiver's answer
        assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
        LOG.info("engine process killed after {} request(s) reached the receiver", receiver.accepted().size());
        receiver.release();

        await().atMost(WAIT).until(() -> receiver.accepted().stream().filter(r -> r.status().equals("resolved"))
            .count() == 8);
        await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
        Map<String, List<String>> byPod = receiver.accepted().stream().collect(Collectors.groupingBy(
            request -> request.label("pod"), Collectors.mapping(Receiver.Request::status, Collectors.toList())));
        assertThat(byPod.keySet()).containsExactlyInAnyOrderElementsOf(pods);
        int extra = 0;
        for (List<String> statuses : byPod.values()) {
          assertThat(statuses).filteredOn("resolved"::equals).hasSize(1);
          assertThat(statuses).filteredOn("firing"::equals).hasSizeBetween(1, 2);
          assertThat(statuses.get(statuses.size() - 1)).isEqualTo("resolved");
          extra += statuses.size() - 2;
        }
        double counted = possibleDuplicates(survivor);
        LOG.info("messages sent twice: {}; counted as possible duplicates: {}", extra, counted);
        assertThat(extra).as("at most the one message in flight at the kill").isLessThanOrEqualTo(1);
        assertThat(counted).as("each re-sent message is counted").isGreaterThanOrEqualTo(extra);
      } finally {
        killed.destroyForcibly();
      }
    }
  }

  private static Process startProcess(String bootstrap, String prefix, Path stateDir, String receiverUrl)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        EngineProcessMain.class.getName(), bootstrap, prefix, stateDir.toString(), receiverUrl));
    command.addAll(List.of(SETS));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> "READY".equals(out.readLine()));
    return process;
  }

  private static double possibleDuplicates(Engine engine) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + engine.runtime().opsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    return text.lines().filter(line -> line.startsWith("kube_observe_alerts_notifications_possible_duplicates_total{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }
}
