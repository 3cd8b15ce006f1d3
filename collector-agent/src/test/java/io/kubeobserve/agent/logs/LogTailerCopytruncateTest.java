package io.kubeobserve.agent.logs;

import static io.kubeobserve.agent.logs.LogTestFiles.appendLines;
import static io.kubeobserve.agent.logs.LogTestFiles.assertEachLineOnce;
import static io.kubeobserve.agent.logs.LogTestFiles.message;
import static io.kubeobserve.agent.logs.LogTestFiles.podFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.agent.logs.LogTestFiles.Shipped;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * copytruncate while the tailer is behind and an entry is half read: reading goes on in the copy
 * from where it was (nothing twice, nothing lost, the entry joined whole), the truncated file's new
 * content is read as a new file, and nothing is counted as lost; without a copy, what was not read
 * is counted as possibly lost. Kafka is a {@link MockProducer}
 * that acknowledges every batch; the proof against a real broker is {@code RotationUnderLoadIT}.
 */
class LogTailerCopytruncateTest {

  @TempDir Path root;
  @TempDir Path checkpoints;

  @Test
  void theCopyIsReadOnFromTheReadOffsetAndAnEntryCutByTheTruncationArrivesWhole() throws Exception {
    Path file = podFile(root, "ct", "app-1", "uid-1", "main");
    appendLines(file, "ct", 1, 200);
    long[] id = FileIdentity.deviceAndInode(file);
    FileIdentity original;
    try (FileChannel channel = FileChannel.open(file)) {
      original = FileIdentity.of(id[0], id[1], channel);
    }
    String split = message("ct", 201);
    LogTestFiles.append(file, (Instant.now() + " stdout P " + split.substring(0, 10) + "\n")
        .getBytes(StandardCharsets.UTF_8));
    MockProducer<byte[], byte[]> producer = producer();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LogTailer tailer = tailer(producer, registry)) {
      tailer.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> LogTestFiles.count(shipped(producer), "ct") >= 200);

      // the writer finishes entry 201 and writes more; logrotate copies the file, then truncates it
      ByteArrayOutputStream copied = new ByteArrayOutputStream();
      copied.write(Files.readAllBytes(file));
      copied.write((Instant.now() + " stdout F " + split.substring(10) + "\n").getBytes(StandardCharsets.UTF_8));
      Path copy = file.resolveSibling("0.log.20240501-100000");
      Files.write(copy, copied.toByteArray());
      appendLines(copy, "ct", 202, 260);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(0);
      }
      appendLines(file, "ct", 261, 300);

      await().atMost(Duration.ofSeconds(20)).until(() -> LogTestFiles.count(shipped(producer), "ct") >= 300);
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> shipped(producer).size() == 300);
      List<Shipped> shipped = shipped(producer);
      assertEachLineOnce(shipped, "ct", 1, 300);
      assertThat(shipped).hasSize(300);
      String copied250 = Files.readString(copy);
      long offset250 = copied250.lastIndexOf('\n', copied250.indexOf("<<ct#250>>")) + 1;
      assertThat(shipped.stream().filter(s -> s.body().startsWith("<<ct#250>>")).findFirst().orElseThrow().uid())
          .as("the id of an entry read from the copy: the truncated file's identity and the entry's offset")
          .isEqualTo(RecordUid.logLine(original.id(), offset250));
      assertThat(shipped.stream().map(Shipped::uid).distinct().count()).as("distinct record ids").isEqualTo(300);
      assertThat(registry.counter("kube_observe.agent.log.rotation.lost").count()).as("bytes counted lost")
          .isZero();
    }
  }

  @Test
  void aTruncationWithoutACopyCountsWhatWasNotReadAsLost() throws Exception {
    Path file = podFile(root, "ct", "app-2", "uid-2", "main");
    appendLines(file, "plain", 1, 20_000); // far more than the rate limit lets it read before the truncation
    MockProducer<byte[], byte[]> producer = producer();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (LogTailer tailer = tailer(producer, registry, "logs.rateLimit.bytesPerSecond=20000")) {
      tailer.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> LogTestFiles.count(shipped(producer), "plain") > 0);
      List<String> lines = Files.readAllLines(file);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(0);
      }
      appendLines(file, "plain", 3001, 3010);

      await().atMost(Duration.ofSeconds(20)).until(() -> shipped(producer).stream()
          .anyMatch(s -> s.body().startsWith("<<plain#3010>>")));
      // what was read before the truncation may still be on its way: measure once nothing more comes
      int[] seen = {-1};
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
        int now = shipped(producer).size();
        boolean settled = now == seen[0];
        seen[0] = now;
        return settled;
      });
      List<Shipped> shipped = shipped(producer);
      assertEachLineOnce(shipped, "plain", 3001, 3010);
      long missingBytes = 0;
      for (int i = 1; i <= 20_000; i++) {
        String marker = "<<plain#" + i + ">>";
        if (shipped.stream().noneMatch(s -> s.body().startsWith(marker))) {
          missingBytes += lines.get(i - 1).length() + 1;
        }
      }
      assertThat(missingBytes).as("the tailer was behind").isPositive();
      assertThat(registry.counter("kube_observe.agent.log.rotation.lost").count())
          .as("bytes counted lost, against the bytes of the lines that never arrived")
          .isGreaterThanOrEqualTo(missingBytes);
    }
  }

  private LogTailer tailer(MockProducer<byte[], byte[]> producer, SimpleMeterRegistry registry, String... settings) {
    List<String> all = new ArrayList<>(List.of("logs.root=" + root, "logs.pollInterval=50ms",
        "kubernetes.enabled=false"));
    all.addAll(List.of(settings));
    AgentConfig.Logs config = ConfigLoader.load(AgentConfig.class, new ConfigSources(Optional.empty(), all, Map.of()),
        AgentConfig.DEFAULTS).logs();
    return new LogTailer(config, checkpoints, Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, "test")).build(), producer, "logs",
        Optional.empty(), registry, OpenTelemetry.noop(), Clock.systemUTC());
  }

  /** Kafka as a producer that acknowledges every batch at once. */
  private static MockProducer<byte[], byte[]> producer() {
    return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static List<Shipped> shipped(MockProducer<byte[], byte[]> producer) throws Exception {
    List<Shipped> shipped = new ArrayList<>();
    for (ProducerRecord<byte[], byte[]> record : producer.history()) {
      shipped.addAll(LogTestFiles.decode(record.key(), record.value()));
    }
    return shipped;
  }
}
