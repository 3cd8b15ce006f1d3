package io.kubeobserve.agent.proof;

import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The agent settings and JVM options the process-level proofs share: logs only, metadata from paths. */
final class ProofSettings {

  /** The memory cap of read but unacknowledged bytes the proofs configure ({@code logs.maxBufferedBytes}). */
  static final long MAX_BUFFERED_BYTES = 8L << 20;
  /** Heap of the agent's JVM in the proofs. */
  static final List<String> JVM_OPTIONS = List.of("-Xmx128m", "-XX:+UseSerialGC");

  private ProofSettings() {}

  /** An agent shipping the pod log tree under {@code root} to {@code topic}, with its checkpoints in {@code checkpoints}. */
  static List<String> agent(EmbeddedKafka kafka, String topic, Path root, Path checkpoints, String... more) {
    List<String> settings = new ArrayList<>(List.of("kafka.bootstrapServers=" + kafka.bootstrapServers(),
        "cluster.name=proof", "node.name=proof-node", "kubernetes.enabled=false", "signals.enabled=false",
        "heartbeat.enabled=false", "kubelet.endpoints=", "kafka.topics.logs=" + topic,
        "kafka.provisioning.replicationFactor=1", "kafka.provisioning.minInsyncReplicas=1",
        "kafka.provisioning.partitions=1", "logs.root=" + root, "checkpoints.dir=" + checkpoints,
        "logs.pollInterval=200ms", "logs.startAt=beginning", "logs.maxBufferedBytes=" + MAX_BUFFERED_BYTES,
        "logs.compression=lz4"));
    settings.addAll(List.of(more));
    return settings;
  }
}
