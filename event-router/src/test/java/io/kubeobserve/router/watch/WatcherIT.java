package io.kubeobserve.router.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.EventNames;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.kubeobserve.devstack.cluster.NodePressure;
import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.kafka.TopicRecords;
import io.kubeobserve.router.support.RouterConfigs;
import io.kubeobserve.router.support.RunningRouter;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watcher against the simulated cluster and a real broker: Events and node condition
 * transitions arrive on the events topic once each, across a restart, a graceful failover to a
 * standby, and a leader killed with SIGKILL right after it committed records.
 */
@WithKafka
class WatcherIT {

  private static final Logger LOG = LoggerFactory.getLogger(WatcherIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EVENTS = "w-events";

  @Test
  void eventsAndConditionsOnceEachAcrossRestartFailoverAndSigkill(EmbeddedKafka kafka, @TempDir Path directory)
      throws Exception {
    try (SimulatedCluster cluster = SimulatedCluster.builder().nodes(2).podsPerNode(1).linesPerSecond(1).build()
        .start()) {
      Path kubeconfig = cluster.kubeconfig(directory.resolve("kubeconfig"));
      String bootstrap = kafka.bootstrapServers();
      List<String> expected = new ArrayList<>();

      // 1. leader a: recorded events and a memory pressure transition
      RunningRouter a = router(bootstrap, kubeconfig, "a");
      await().atMost(Duration.ofSeconds(30)).until(() -> a.service().watcher().orElseThrow().isLeading());
      ObjectNode evicted = cluster.store().create(ResourceType.EVENTS, fixture("event_evicted_memory_kubelet_aks.json"));
      ObjectNode scheduling = cluster.store().create(ResourceType.EVENTS,
          (ObjectNode) fixture("eventlist_failedscheduling_eventTime-only_minikube.json").path("items").get(0));
      cluster.nodeLifecycle().pressure("sim-node-1", NodePressure.MEMORY);
      expected.add(eventUid(evicted, 1));
      expected.add(eventUid(scheduling, 1));
      expected.add(conditionUid(cluster, "sim-node-1", "MemoryPressure"));
      awaitAllEvents(cluster, bootstrap, expected);

      // 2. restart: a stops, a2 starts (relist against the state topic), the evicted event repeats
      a.close();
      RunningRouter a2 = router(bootstrap, kubeconfig, "a2");
      await().atMost(Duration.ofSeconds(30)).until(() -> a2.service().watcher().orElseThrow().isLeading());
      ObjectNode repeated = bumpCount(cluster, evicted);
      await().pollDelay(Duration.ofMillis(1100)).until(() -> true); // a new transition time (seconds)
      cluster.nodeLifecycle().relieve("sim-node-1", NodePressure.MEMORY);
      expected.add(eventUid(repeated, 2));
      expected.add(conditionUid(cluster, "sim-node-1", "MemoryPressure"));
      awaitAllEvents(cluster, bootstrap, expected);

      // 3. graceful failover: standby b takes over within the lease duration after a2 stops
      RunningRouter b = router(bootstrap, kubeconfig, "b");
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
          .until(() -> !b.service().watcher().orElseThrow().isLeading());
      long stopped = System.nanoTime();
      a2.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> b.service().watcher().orElseThrow().isLeading());
      LOG.info("standby took over {} ms after the leader stopped (lease duration 3 s)",
          (System.nanoTime() - stopped) / 1_000_000);
      cluster.nodeLifecycle().pressure("sim-node-2", NodePressure.DISK);
      expected.add(conditionUid(cluster, "sim-node-2", "DiskPressure"));
      awaitAllEvents(cluster, bootstrap, expected);
      b.close();

      // 4. leader c in its own JVM, killed with SIGKILL right after it committed; d succeeds it
      Process c = childRouter(bootstrap, kubeconfig, "c");
      BlockingQueue<String> lines = lines(c.getInputStream());
      try {
        awaitLine(lines, "LEADING", Duration.ofSeconds(60));
        await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
        cluster.nodeLifecycle().pressure("sim-node-2", NodePressure.PID);
        String committed = awaitLine(lines, "COMMITTED", Duration.ofSeconds(30));
        c.destroyForcibly(); // SIGKILL
        assertThat(c.waitFor(10, TimeUnit.SECONDS)).isTrue();
        LOG.info("leader c killed with SIGKILL right after {}", committed);
      } finally {
        c.destroyForcibly();
      }
      expected.add(conditionUid(cluster, "sim-node-2", "PIDPressure"));
      RunningRouter d = router(bootstrap, kubeconfig, "d");
      await().atMost(Duration.ofSeconds(20)).until(() -> d.service().watcher().orElseThrow().isLeading());
      await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
      cluster.nodeLifecycle().relieve("sim-node-2", NodePressure.PID);
      expected.add(conditionUid(cluster, "sim-node-2", "PIDPressure"));
      awaitAllEvents(cluster, bootstrap, expected);
      d.close();

      // once each: no uid twice, every expected one present
      List<LogRecord> records = records(bootstrap);
      Map<String, Integer> counts = new HashMap<>();
      for (LogRecord record : records) {
        counts.merge(uid(record), 1, Integer::sum);
      }
      assertThat(counts).allSatisfy((uid, count) -> assertThat(count).as(uid).isEqualTo(1));
      assertThat(counts.keySet()).containsAll(expected);
      LogRecord relieved = records.stream().filter(record -> uid(record).equals(expected.get(expected.size() - 1)))
          .findFirst().orElseThrow();
      assertThat(attribute(relieved, Attributes.EVENT_NAME)).isEqualTo(EventNames.NODE_CONDITION);
      assertThat(attribute(relieved, Attributes.K8S_NODE_CONDITION_TYPE)).isEqualTo("PIDPressure");
      assertThat(attribute(relieved, Attributes.K8S_NODE_CONDITION_PREVIOUS_STATUS)).isEqualTo("True");
      assertThat(attribute(relieved, Attributes.K8S_NODE_CONDITION_STATUS)).isEqualTo("False");
      assertThat(attribute(relieved, Attributes.K8S_NODE_CONDITION_REASON)).isEqualTo("KubeletHasSufficientPID");
      LOG.info("{} records on {}, each once", records.size(), EVENTS);
    }
  }

  private static RunningRouter router(String bootstrap, Path kubeconfig, String identity) throws Exception {
    return RunningRouter.start(RouterConfigs.load(bootstrap, settings(kubeconfig, identity)));
  }

  private static String[] settings(Path kubeconfig, String identity) {
    return new String[] {
        "kubernetes.kubeconfig=" + kubeconfig,
        "indexer.enabled=false",
        "kafka.topics.events=" + EVENTS,
        "kafka.topics.deadletter=w-deadletter",
        "watcher.stateTopic=w-state",
        "watcher.identity=" + identity,
        "watcher.leaseDuration=3s",
        "watcher.renewDeadline=2s",
        "watcher.retryPeriod=500ms"};
  }

  private static Process childRouter(String bootstrap, Path kubeconfig, String identity) throws IOException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        WatcherProcessMain.class.getName(), bootstrap));
    command.addAll(List.of(settings(kubeconfig, identity)));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static BlockingQueue<String> lines(InputStream in) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader buffered = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = buffered.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "child-stdout");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private static String awaitLine(BlockingQueue<String> lines, String prefix, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("the child printed no " + prefix + " line within " + timeout);
  }

  /** Waits until every expected uid and every stored event at its current count is on the topic. */
  private static void awaitAllEvents(SimulatedCluster cluster, String bootstrap, List<String> expected) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      List<String> uids = records(bootstrap).stream().map(WatcherIT::uid).toList();
      assertThat(uids).containsAll(expected);
      for (ObjectNode event : cluster.store().list(ResourceType.EVENTS, "")) {
        assertThat(uids).contains(eventUid(event, event.path("count").asLong(1)));
      }
    });
  }

  private static List<LogRecord> records(String bootstrap) {
    List<LogRecord> records = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : TopicRecords.readAll(bootstrap, EVENTS)) {
      try {
        OtlpCodec.decodeLogs(record.value()).getResourceLogsList().forEach(resource -> resource.getScopeLogsList()
            .forEach(scope -> records.addAll(scope.getLogRecordsList())));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return records;
  }

  private static String uid(LogRecord record) {
    return attribute(record, Attributes.LOG_RECORD_UID);
  }

  private static String attribute(LogRecord record, String key) {
    return OtlpValues.stringAttribute(record.getAttributesList(), key).orElse("");
  }

  private static String eventUid(ObjectNode event, long count) {
    return RecordUid.kubernetesEvent(event.path("metadata").path("uid").asText(), count);
  }

  private static String conditionUid(SimulatedCluster cluster, String node, String type) {
    ObjectNode stored = cluster.nodeLifecycle().get(node);
    String nodeUid = stored.path("metadata").path("uid").asText();
    for (var condition : stored.path("status").path("conditions")) {
      if (condition.path("type").asText().equals(type)) {
        return RecordUid.occurrence(EventNames.NODE_CONDITION, nodeUid, type,
            Instant.parse(condition.path("lastTransitionTime").asText()).toString());
      }
    }
    throw new AssertionError("node " + node + " has no condition " + type);
  }

  private static ObjectNode bumpCount(SimulatedCluster cluster, ObjectNode event) {
    ObjectNode current = cluster.store().get(ResourceType.EVENTS, event.path("metadata").path("namespace").asText(),
        event.path("metadata").path("name").asText());
    current.put("count", current.path("count").asLong(1) + 1);
    current.put("lastTimestamp", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    return cluster.store().update(ResourceType.EVENTS, current);
  }

  private static ObjectNode fixture(String file) throws IOException {
    try (InputStream in = WatcherIT.class.getResourceAsStream("/fixtures/k8s-objects/" + file)) {
      return (ObjectNode) JSON.readTree(in);
    }
  }
}
