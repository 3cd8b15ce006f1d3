package io.kubeobserve.alerts.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.agent.AgentService;
import io.kubeobserve.alerts.support.Engine;
import io.kubeobserve.alerts.support.Receiver;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubeobserve.devstack.cluster.SimulatedNode;
import io.kubeobserve.devstack.cluster.scenario.GroundTruth;
import io.kubeobserve.devstack.cluster.scenario.Scenario;
import io.kubeobserve.devstack.cluster.scenario.ScenarioRun;
import io.kubeobserve.devstack.cluster.scenario.Scenarios;
import io.kubeobserve.devstack.cluster.scenario.Signal;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.router.RouterConfig;
import io.kubeobserve.router.RouterService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain on the simulated cluster: its scenarios change the API objects and events, the
 * real agent (one per node) and the real router write {@code k8s-events}, the engine sends to a
 * local webhook receiver. Each episode of the ground truth is one FIRING and one RESOLVED message.
 */
@WithKafka
class ScenarioChainIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path directory;

  /** A scenario's cluster, agents, router and engine, and the receiver. */
  private final class Chain implements AutoCloseable {
    final SimulatedCluster cluster;
    final Receiver receiver = Receiver.start();
    final List<AutoCloseable> running = new ArrayList<>();
    final ScenarioRun scenario;

    Chain(EmbeddedKafka kafka, String scenarioName, double speed) throws Exception {
      this(kafka, scenarioName, speed, List.of());
    }

    /** ... with further settings for the agents (after the chain's own). */
    Chain(EmbeddedKafka kafka, String scenarioName, double speed, List<String> agentSettings) throws Exception {
      Scenario built = Scenarios.builtIn(scenarioName);
      cluster = built.clusterBuilder().speed(speed).linesPerSecond(0.5).seed(7).logsRoot(directory.resolve("pods"))
          .build().start();
      Path kubeconfig = cluster.kubeconfig(directory.resolve("kubeconfig"));
      String prefix = "chain-" + scenarioName;
      List<String> common = List.of("kafka.bootstrapServers=" + kafka.bootstrapServers(), "ops.port=0",
          "ops.address=127.0.0.1", "cluster.name=test-cluster", "kafka.provisioning.replicationFactor=1",
          "kafka.provisioning.minInsyncReplicas=1", "kafka.provisioning.partitions=4",
          "kafka.topics.events=" + prefix + "-events", "kafka.topics.logs=" + prefix + "-logs",
          "kafka.topics.metrics=" + prefix + "-metrics", "kafka.topics.deadletter=" + prefix + "-deadletter",
          "kafka.topics.alerts=" + prefix + "-alerts", "kubernetes.kubeconfig=" + kubeconfig);
      Engine engine = Engine.start(Engine.config(kafka.bootstrapServers(), prefix, directory.resolve("engine"),
          receiver.url(), "incidents.quietPeriod=5s", "incidents.updateInterval=2s"));
      running.add(engine);
      running.add(router(common, prefix));
      List<AtomicReference<AgentService>> agents = new ArrayList<>();
      for (SimulatedNode node : cluster.nodes()) {
        AtomicReference<AgentService> agent = new AtomicReference<>();
        running.add(agent(common, agentSettings, node.name(), agent));
        agents.add(agent);
      }
      await().atMost(WAIT).until(() -> agents.stream().allMatch(agent -> agent.get().podSignalsSynced()));
      scenario = ScenarioRun.start(cluster, built);
    }

    private ServiceRuntime router(List<String> common, String prefix) throws Exception {
      List<String> settings = new ArrayList<>(common);
      settings.addAll(List.of("indexer.enabled=false", "watcher.stateTopic=" + prefix + "-watch",
          "watcher.identity=r1", "watcher.leaseDuration=3s", "watcher.renewDeadline=2s", "watcher.retryPeriod=500ms"));
      RouterConfig config = ConfigLoader.load(RouterConfig.class,
          new ConfigSources(Optional.empty(), settings, Map.of()), RouterConfig.DEFAULTS);
      return ServiceRuntime.start("router", config, context -> new RouterService(config, context));
    }

    private ServiceRuntime agent(List<String> common, List<String> agentSettings, String node,
        AtomicReference<AgentService> service) throws Exception {
      List<String> settings = new ArrayList<>(common);
      settings.addAll(List.of("node.name=" + node, "logs.root=" + cluster.logsRoot(),
          "checkpoints.dir=" + directory.resolve("checkpoints-" + node), "kubelet.endpoints=",
          "heartbeat.enabled=false"));
      settings.addAll(agentSettings);
      AgentConfig config = ConfigLoader.load(AgentConfig.class,
          new ConfigSources(Optional.empty(), settings, Map.of()), AgentConfig.DEFAULTS);
      return ServiceRuntime.start("agent-" + node, config, context -> {
        AgentService agent = new AgentService(config, context);
        service.set(agent);
        return agent;
      });
    }

    List<GroundTruth> truth(Signal signal) {
      return scenario.groundTruth().of(signal);
    }

    @Override
    public void close() throws Exception {
      try {
        for (int i = running.size() - 1; i >= 0; i--) {
          running.get(i).close();
        }
      } finally {
        receiver.close();
        scenario.close();
        cluster.close();
      }
    }
  }

  @Test
  void anOomKillIsOneFiringMessageWithTheContainersLastLinesLimitAndUsageAndOneResolved(EmbeddedKafka kafka)
      throws Exception {
    // the agents scrape their kubelet's /stats/summary through the API server, so that the kill says how
    // close to its limit the container's working set was (it climbs to the limit in steps of 0.5 s here)
    List<String> scrapeStats = List.of("kubelet.transport=apiServerProxy", "kubelet.endpoints={/stats/summary}",
        "kubelet.interval=200ms", "kubelet.jitter=0s");
    try (Chain chain = new Chain(kafka, "oom-kill", 10, scrapeStats)) {
      await().atMost(WAIT).until(() -> chain.receiver.accepted().size() >= 2);
      await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
      GroundTruth kill = chain.truth(Signal.CONTAINER_TERMINATED).get(0);
      List<Receiver.Request> messages = chain.receiver.accepted();
      assertThat(messages).extracting(Receiver.Request::status).containsExactly("firing", "resolved");
      Receiver.Request firing = messages.get(0);
      assertThat(firing.alertname()).isEqualTo("OOMKilled");
      assertThat(firing.label("pod")).isEqualTo(kill.object().name());
      assertThat(firing.label("container")).isEqualTo(kill.container());
      assertThat(firing.label("node")).isEqualTo(kill.node());
      assertThat(firing.annotation("last_log_lines")).contains("memory usage high");
      assertThat(firing.annotation("memory_limit")).isEqualTo("512 MiB");
      assertThat(firing.annotation("last_working_set")).matches("\\d+(\\.\\d)? MiB \\(\\d+ % of the limit\\) at .+Z");
      assertThat(firing.annotation("peak_working_set")).matches("\\d+(\\.\\d)? MiB \\(([89]\\d|100) % of the limit\\)");
      assertThat(firing.annotation("summary")).contains("more memory than its limit of 512 MiB")
          .contains("its last measured working set was");
      assertThat(messages.get(1).fingerprint()).isEqualTo(firing.fingerprint());
    }
  }

  @Test
  void anEvictionStormIsOneMemoryPressureIncidentListingTheEvictedPods(EmbeddedKafka kafka) throws Exception {
    try (Chain chain = new Chain(kafka, "eviction-storm", 5)) {
      await().atMost(WAIT).until(() -> chain.receiver.accepted().stream().anyMatch(r -> r.status().equals("resolved")));
      await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
      List<Receiver.Request> messages = chain.receiver.accepted();
      assertThat(messages).extracting(Receiver.Request::alertname).containsOnly("NodeMemoryPressure");
      assertThat(messages.get(0).status()).isEqualTo("firing");
      assertThat(messages).filteredOn(r -> r.status().equals("resolved")).hasSize(1);
      assertThat(messages.get(messages.size() - 1).status()).isEqualTo("resolved");
      List<GroundTruth> evictions = chain.truth(Signal.POD_EVICTED);
      assertThat(evictions).hasSize(2);
      String members = messages.get(messages.size() - 1).annotation("members");
      evictions.forEach(eviction -> assertThat(members).contains(eviction.object().name() + " (memory)"));
    }
  }

  @Test
  void diskAndPidPressureAreOneIncidentEachOnTheirNode(EmbeddedKafka kafka) throws Exception {
    try (Chain chain = new Chain(kafka, "node-pressure", 10)) {
      await().atMost(WAIT).until(() -> chain.receiver.accepted().stream()
          .anyMatch(r -> r.alertname().equals("NodePIDPressure") && r.status().equals("resolved")));
      await().pollDelay(Duration.ofSeconds(3)).atMost(WAIT).until(() -> true);
      List<Receiver.Request> messages = chain.receiver.accepted();
      assertThat(messages).extracting(r -> r.alertname() + " " + r.label("node") + " " + r.status())
          .containsSubsequence("NodeDiskPressure sim-node-1 firing", "NodeDiskPressure sim-node-1 resolved",
              "NodePIDPressure sim-node-2 firing", "NodePIDPressure sim-node-2 resolved");
      assertThat(messages).extracting(Receiver.Request::alertname).containsOnly("NodeDiskPressure", "NodePIDPressure");
      assertThat(messages).filteredOn(r -> r.status().equals("resolved")).hasSize(2);
      assertThat(messages.stream().map(Receiver.Request::fingerprint).distinct()).hasSize(2);
    }
  }
}
