package io.kubeobserve.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.agent.TopicReader.Event;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubeobserve.devstack.cluster.Workload;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import io.kubeobserve.devstack.cluster.scenario.GroundTruth;
import io.kubeobserve.devstack.cluster.scenario.Scenario;
import io.kubeobserve.devstack.cluster.scenario.ScenarioRun;
import io.kubeobserve.devstack.cluster.scenario.Scenarios;
import io.kubeobserve.devstack.cluster.scenario.Signal;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.kafka.TopicRecords;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in scenarios against an agent serving the node they happen on: each occurrence the
 * ground truth records is exactly one record on the events topic, also when the agent restarts in
 * the middle or after the end.
 */
@WithKafka
class AgentPodSignalsIT {

  private static final double SPEED = 60;

  @TempDir Path directory;

  /** A scenario on a started cluster with an agent of one node; the agent can be restarted. */
  private final class Run implements AutoCloseable {
    final SimulatedCluster cluster;
    final String node;
    final String topic;
    final EmbeddedKafka kafka;
    final Path kubeconfig;
    final TopicReader reader;
    final List<String> extra;
    RunningAgent agent;
    ScenarioRun scenario;

    Run(EmbeddedKafka kafka, String scenarioName, String node, List<String> extra) throws Exception {
      this(kafka, scenarioName, node, extra, SPEED);
    }

    Run(EmbeddedKafka kafka, String scenarioName, String node, List<String> extra, double speed) throws Exception {
      this.kafka = kafka;
      this.extra = extra;
      Scenario built = Scenarios.builtIn(scenarioName);
      cluster = built.clusterBuilder().speed(speed).linesPerSecond(0.5).seed(7).logsRoot(directory.resolve("pods"))
          .build().start();
      this.node = node != null ? node : nodeOfFirstRunningPod(built);
      this.topic = "events-" + scenarioName;
      kubeconfig = cluster.kubeconfig(directory.resolve("kubeconfig"));
      reader = new TopicReader(kafka.bootstrapServers(), topic);
      startAgent();
      scenario = ScenarioRun.start(cluster, built);
    }

    /** The node of the pod the scenario's first step picks: the first running pod of its workload. */
    private String nodeOfFirstRunningPod(Scenario built) {
      String workload = built.steps().get(0).action() instanceof io.kubeobserve.devstack.cluster.scenario.Action.OomKill o
          ? o.workload() : ((io.kubeobserve.devstack.cluster.scenario.Action.CrashLoop) built.steps().get(0).action())
          .workload();
      for (JsonNode pod : cluster.store().list(ResourceType.PODS, "")) {
        String uid = pod.path("metadata").path("uid").asText();
        if ("Running".equals(pod.path("status").path("phase").asText())
            && cluster.workloadOf(uid).map(Workload::id).orElse("").equals(workload)) {
          return pod.path("spec").path("nodeName").asText();
        }
      }
      throw new IllegalStateException("no running pod of " + workload);
    }

    void startAgent() throws Exception {
      List<String> settings = new ArrayList<>(List.of("node.name=" + node, "kubernetes.kubeconfig=" + kubeconfig,
          "logs.root=" + cluster.logsRoot(), "checkpoints.dir=" + directory.resolve("checkpoints"),
          "kafka.topics.events=" + topic, "kafka.topics.logs=logs-" + topic, "kafka.topics.metrics=metrics-" + topic,
          "heartbeat.enabled=false"));
      settings.addAll(extra);
      agent = RunningAgent.start(kafka, settings);
      await().atMost(Duration.ofSeconds(30)).until(() -> agent.service().podSignalsSynced());
    }

    void restartAgent() throws Exception {
      agent.close();
      startAgent();
    }

    List<Event> signals() throws Exception {
      return reader.events();
    }

    List<GroundTruth> truthOnNode() {
      return scenario.groundTruth().matching(t -> t.node().equals(node) && t.signal() != Signal.NODE_CONDITION);
    }

    @Override
    public void close() throws Exception {
      try {
        if (agent != null) {
          agent.close();
        }
      } finally {
        reader.close();
        scenario.close();
        cluster.close();
      }
    }
  }

  /** The record of a ground truth entry: same event.name, pod, container and restart count. */
  private static boolean matches(Event event, GroundTruth truth) {
    if (!event.eventName().equals(truth.signal().eventName())
        || !Objects.equals(event.resource().get(Attributes.K8S_POD_UID), truth.object().uid())) {
      return false;
    }
    if (truth.container().isEmpty()) {
      return true;
    }
    return truth.container().equals(event.resource().get(Attributes.K8S_CONTAINER_NAME))
        && truth.detail("restartCount").equals(event.resource().get(Attributes.K8S_CONTAINER_RESTART_COUNT));
  }

  private static void assertOnePerOccurrence(List<Event> events, List<GroundTruth> truth) {
    assertThat(truth).isNotEmpty();
    for (GroundTruth occurrence : truth) {
      assertThat(events).as("records of %s", occurrence.summary()).filteredOn(e -> matches(e, occurrence)).hasSize(1);
    }
    assertThat(events).as("every record is an occurrence of the ground truth")
        .allMatch(e -> truth.stream().anyMatch(t -> matches(e, t)));
    assertThat(events).extracting(Event::uid).doesNotHaveDuplicates();
    assertThat(events).allSatisfy(e -> assertThat(e.key()).isEqualTo(e.resource().get(Attributes.K8S_POD_UID)));
  }

  @Test
  void anOomKillIsOneTerminationWithItsLastLogLinesAndOneBackOffAlsoWhenTheAgentShipsNoLogs(EmbeddedKafka kafka)
      throws Exception {
    // logs.enabled=false: the last lines still come from the container's log file
    try (Run run = new Run(kafka, "oom-kill", null, List.of("kubelet.endpoints=", "logs.enabled=false"))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> run.truthOnNode().size() >= 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> run.signals().size() >= 2);
      List<Event> events = run.signals();
      assertOnePerOccurrence(events, run.truthOnNode());

      GroundTruth killed = run.truthOnNode().stream().filter(t -> t.signal() == Signal.CONTAINER_TERMINATED)
          .findFirst().orElseThrow();
      Event terminated = events.stream().filter(e -> matches(e, killed)).findFirst().orElseThrow();
      assertThat(terminated.attributes()).containsEntry(Attributes.K8S_CONTAINER_TERMINATION_REASON, "OOMKilled")
          .containsEntry(Attributes.K8S_CONTAINER_TERMINATION_EXIT_CODE, "137")
          .containsEntry(Attributes.K8S_CONTAINER_TERMINATION_SIGNAL, "9")
          .containsKeys(Attributes.K8S_CONTAINER_TERMINATION_STARTED_AT, Attributes.K8S_CONTAINER_TERMINATION_FINISHED_AT);
      assertThat(terminated.resource()).containsEntry(Attributes.K8S_NAMESPACE_NAME, killed.object().namespace())
          .containsEntry(Attributes.K8S_POD_NAME, killed.object().name())
          .containsEntry(Attributes.K8S_NODE_NAME, run.node).containsEntry(Attributes.K8S_CLUSTER_NAME, "it")
          .containsKey(Attributes.K8S_DEPLOYMENT_NAME);
      List<String> truthLines = List.of(killed.detail("lastLogLines").split("\n"));
      assertThat(terminated.lastLogLines()).isNotEmpty();
      assertThat(truthLines.get(truthLines.size() - 1))
          .endsWith(terminated.lastLogLines().get(terminated.lastLogLines().size() - 1));

      // a restart relists every pod: nothing is emitted again
      run.restartAgent();
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
          .until(() -> run.signals().size() == events.size());
      assertThat(TopicRecords.endOffsetSum(kafka.bootstrapServers(), "logs-" + run.topic)).as("records on the logs topic")
          .isZero();
    }
  }

  @Test
  void anEvictionStormIsOneEvictionPerPod(EmbeddedKafka kafka) throws Exception {
    try (Run run = new Run(kafka, "eviction-storm", "sim-node-1", List.of("kubelet.endpoints="))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> run.truthOnNode().stream()
          .filter(t -> t.signal() == Signal.POD_EVICTED).count() >= 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> run.signals().size() >= 2);
      run.restartAgent();
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
          .until(() -> run.signals().size() == 2);
      List<Event> events = run.signals();
      assertOnePerOccurrence(events, run.truthOnNode());
      assertThat(events).allSatisfy(e -> {
        assertThat(e.attributes()).containsEntry(Attributes.K8S_POD_EVICTION_RESOURCE, "memory");
        assertThat(e.attributes().get(Attributes.K8S_POD_EVICTION_MESSAGE))
            .startsWith("The node was low on resource: memory.");
      });
    }
  }

  @Test
  void aCrashLoopIsOneTerminationAndOneBackOffPerCrashAlsoWhenItHappensWhileTheAgentIsDown(EmbeddedKafka kafka)
      throws Exception {
    // at 30x the last back-off (80 s) lasts 2.7 s: time for an agent to start and list the pods
    try (Run run = new Run(kafka, "crashloop", null, List.of("kubelet.endpoints="), 30)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> run.signals().stream().anyMatch(e ->
          e.eventName().equals("k8s.container.waiting")
              && "3".equals(e.resource().get(Attributes.K8S_CONTAINER_RESTART_COUNT))));
      run.agent.close(); // the fourth crash happens while no agent runs
      run.agent = null;
      await().atMost(Duration.ofSeconds(60)).until(() -> run.truthOnNode().stream().anyMatch(t ->
          t.signal() == Signal.CONTAINER_WAITING && t.detail("restartCount").equals("4")));
      run.startAgent();
      await().atMost(Duration.ofSeconds(30)).until(() -> run.signals().size() >= 8);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> run.signals().size() == 8);
      List<Event> events = run.signals();
      assertOnePerOccurrence(events, run.truthOnNode());
      assertThat(run.truthOnNode()).hasSize(8);
      assertThat(events).filteredOn(e -> e.eventName().equals("k8s.container.terminated"))
          .allSatisfy(e -> assertThat(e.lastLogLines()).anyMatch(line -> line.contains("exiting: database unavailable")));
    }
  }
}
