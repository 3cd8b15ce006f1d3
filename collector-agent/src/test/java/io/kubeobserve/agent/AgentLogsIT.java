package io.kubeobserve.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordHeaders;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithKafka
class AgentLogsIT {

  private static final String UID = "0e3b5c5e-6f7a-4b1e-9a43-2d7f0c1a5b11";

  @TempDir Path logsRoot;
  @TempDir Path checkpoints;

  /** A shipped line as a user reads it back from the topic. */
  record Shipped(String key, Map<String, String> resource, String body, String stream, String uid, boolean unparsed,
      String traceparent) {}

  @Test
  void containerLinesReachTheLogsTopicWithPodMetadataFromTheirPath(EmbeddedKafka kafka) throws Exception {
    Path file = logsRoot.resolve("payments_api-7d4b9c-x2x7k_" + UID + "/api/2.log");
    Files.createDirectories(file.getParent());
    Files.writeString(file, """
        2024-05-01T10:00:00.000000001Z stdout F listening on :8080
        2024-05-01T10:00:01.500000000Z stderr F java.lang.IllegalStateException: boom
        """);
    AgentConfig config = ConfigLoader.load(AgentConfig.class, new ConfigSources(Optional.empty(), List.of(
        "kubernetes.enabled=false", "kafka.bootstrapServers=" + kafka.bootstrapServers(), "ops.port=0",
        "ops.address=127.0.0.1", "logs.root=" + logsRoot, "checkpoints.dir=" + checkpoints,
        "logs.pollInterval=100ms", "kafka.topics.logs=agent-it-logs", "kubelet.endpoints=", "heartbeat.enabled=false", "node.name=node-a", "cluster.name=it",
        "kafka.provisioning.replicationFactor=1", "kafka.provisioning.minInsyncReplicas=1"), Map.of()),
        AgentConfig.DEFAULTS);

    List<Shipped> shipped = new CopyOnWriteArrayList<>();
    try (ServiceRuntime agent = ServiceRuntime.start("agent", config, context -> new AgentService(config, context));
         KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
             "group.id", "agent-it", "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("agent-it-logs"));
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        poll(consumer, shipped);
        return shipped.size() >= 2;
      });
      Files.writeString(file, "not a CRI line\n", StandardOpenOption.APPEND);
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        poll(consumer, shipped);
        return shipped.size() >= 3;
      });
    }

    assertThat(shipped).extracting(Shipped::body)
        .containsExactly("listening on :8080", "java.lang.IllegalStateException: boom", "not a CRI line");
    assertThat(shipped).extracting(Shipped::stream).containsExactly("stdout", "stderr", null);
    assertThat(shipped).extracting(Shipped::unparsed).containsExactly(false, false, true);
    assertThat(shipped).extracting(Shipped::key).containsOnly(UID);
    assertThat(shipped).extracting(Shipped::traceparent).allMatch(t -> t.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
    assertThat(shipped).extracting(Shipped::uid).doesNotHaveDuplicates().allMatch(uid -> uid.matches("[0-9a-f]{32}"));
    assertThat(shipped.get(0).resource()).containsAllEntriesOf(Map.of(
        Attributes.K8S_CLUSTER_NAME, "it", Attributes.K8S_NODE_NAME, "node-a",
        Attributes.K8S_NAMESPACE_NAME, "payments", Attributes.K8S_POD_NAME, "api-7d4b9c-x2x7k",
        Attributes.K8S_POD_UID, UID, Attributes.K8S_CONTAINER_NAME, "api",
        Attributes.K8S_CONTAINER_RESTART_COUNT, "2"));
  }

  private static void poll(KafkaConsumer<byte[], byte[]> consumer, List<Shipped> shipped) throws Exception {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
      for (ResourceLogs resourceLogs : OtlpCodec.decodeLogs(record.value()).getResourceLogsList()) {
        Map<String, String> resource = new java.util.HashMap<>();
        for (KeyValue kv : resourceLogs.getResource().getAttributesList()) {
          resource.put(kv.getKey(), kv.getValue().hasIntValue()
              ? Long.toString(kv.getValue().getIntValue()) : kv.getValue().getStringValue());
        }
        for (LogRecord log : resourceLogs.getScopeLogs(0).getLogRecordsList()) {
          shipped.add(new Shipped(new String(record.key(), StandardCharsets.UTF_8), resource,
              log.getBody().getStringValue(),
              OtlpValues.stringAttribute(log.getAttributesList(), Attributes.LOG_IOSTREAM).orElse(null),
              OtlpValues.stringAttribute(log.getAttributesList(), Attributes.LOG_RECORD_UID).orElseThrow(),
              OtlpValues.attribute(log.getAttributesList(), Attributes.KUBE_OBSERVE_LOG_UNPARSED).isPresent(),
              RecordHeaders.lastString(record.headers(), RecordHeaders.TRACEPARENT).orElse("")));
        }
      }
    }
  }
}
