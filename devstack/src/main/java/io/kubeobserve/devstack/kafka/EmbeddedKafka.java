package io.kubeobserve.devstack.kafka;

import io.kubeobserve.devstack.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker in this JVM: one KRaft node acting as broker and controller, on
 * random loopback ports, with a temporary data directory.
 *
 * <p>{@link #stop()} and {@link #start()} take the broker down and bring it back on the same
 * ports with the same data, as a broker restart in a real cluster does; {@link #close()} stops it
 * and deletes its data. Settings suit a one-broker cluster: replication factor 1 for internal
 * topics, no initial rebalance delay.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final Path dataDir;
  private final int brokerPort;
  private final int controllerPort;
  private final KafkaConfig config;
  private KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafka(Path dataDir) {
    this.dataDir = dataDir;
    this.brokerPort = Ports.freeLoopbackPort();
    this.controllerPort = Ports.freeLoopbackPort();
    this.config = new KafkaConfig(serverProperties(), false);
  }

  /** Formats a fresh data directory and starts the broker. */
  public static EmbeddedKafka start(Path dataDir) {
    EmbeddedKafka kafka = new EmbeddedKafka(dataDir);
    kafka.format();
    kafka.start();
    return kafka;
  }

  /** Starts a broker in a new temporary directory, deleted by {@link #close()}. */
  public static EmbeddedKafka startTemporary() {
    try {
      return start(Files.createTempDirectory("kube-observe-kafka-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bootstrap list clients use, {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** Whether the broker is running. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Starts the broker (again) on its ports with its data; a running broker is left alone. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("broker was closed");
    }
    if (server != null) {
      return;
    }
    KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
    starting.startup();
    server = starting;
    LOG.info("Kafka broker listening on {} (data in {})", bootstrapServers(), dataDir);
  }

  /** Stops the broker, keeping its data and ports for {@link #start()}. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
    LOG.info("Kafka broker on {} stopped", bootstrapServers());
  }

  /** Stops the broker and deletes its data; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    stop();
    closed = true;
    deleteRecursively(dataDir);
  }

  private Map<String, Object> serverProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dataDir.toString());
    props.put("num.partitions", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "4");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
    props.put("auto.create.topics.enable", "false");
    return props;
  }

  private void format() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(print)
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(dataDir.toString()))
          .setMetadataLogDirectory(dataDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed: " + out, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }
}
