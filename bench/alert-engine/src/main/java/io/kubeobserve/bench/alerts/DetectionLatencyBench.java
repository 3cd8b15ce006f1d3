package io.kubeobserve.bench.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.agent.AgentService;
import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.AlertsService;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubeobserve.devstack.cluster.SimulatedNode;
import io.kubeobserve.devstack.cluster.Workload;
import io.kubeobserve.devstack.cluster.WorkloadKind;
import io.kubeobserve.devstack.cluster.scenario.Action;
import io.kubeobserve.devstack.cluster.scenario.Scenario;
import io.kubeobserve.devstack.cluster.scenario.ScenarioRun;
import io.kubeobserve.devstack.cluster.scenario.Signal;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.router.RouterConfig;
import io.kubeobserve.router.RouterService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detection latency of the whole chain: a simulated cluster whose scenario OOM-kills one container
 * of each of N single-pod Deployments, one a second; the real agent of each node, the real router
 * and the alert-engine on one embedded broker; a local webhook receiver. Latency of an incident:
 * from the moment the simulated API server stored the OOMKilled container status (its ground
 * truth is recorded right after the write) to the moment the engine's FIRING request reached the
 * receiver. Args: {@code incidents} (100), {@code output file}, then {@code key=value} settings of the
 * engine (e.g. {@code engine.commitInterval=100ms}).
 */
public final class DetectionLatencyBench {

  private static final Logger LOG = LoggerFactory.getLogger(DetectionLatencyBench.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int NODES = 2;
  private static final Duration WARM_UP = Duration.ofSeconds(20);
  private static final Duration SPACING = Duration.ofSeconds(1);

  private DetectionLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int incidents = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path output = Path.of(args.length > 1 ? args[1] : "bench/alert-engine/results/run.md");
    List<String> engineSets = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
    Path work = Files.createTempDirectory("kube-observe-bench-alerts");
    Map<String, Instant> written = new ConcurrentHashMap<>();
    Map<String, Instant> received = new ConcurrentHashMap<>();
    List<Workload> workloads = new ArrayList<>();
    Scenario.Builder scenario = Scenario.builder("bench-oom").nodes(NODES).podsPerNode(incidents / NODES + 1);
    for (int i = 0; i < incidents; i++) {
      Workload workload = new Workload(WorkloadKind.DEPLOYMENT, "bench", String.format("app-%03d", i), "app",
          "registry.example.com/bench/app:1.0.0", "10m", "64Mi", "", "128Mi");
      workloads.add(workload);
      scenario.step(WARM_UP.plus(SPACING.multipliedBy(i)),
          new Action.OomKill(workload.namespace() + "/" + workload.name(), Optional.empty(), Duration.ofSeconds(1)));
    }
    Scenario built = scenario.build();
    HttpServer receiver = receiver(received);
    try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        SimulatedCluster cluster = built.clusterBuilder().workloads(workloads).speed(1).linesPerSecond(0.2).seed(11)
            .logsRoot(work.resolve("pods")).build().start()) {
      Path kubeconfig = cluster.kubeconfig(work.resolve("kubeconfig"));
      List<String> common = List.of("kafka.bootstrapServers=" + kafka.bootstrapServers(), "ops.port=0",
          "ops.address=127.0.0.1", "cluster.name=bench", "kafka.provisioning.replicationFactor=1",
          "kafka.provisioning.minInsyncReplicas=1", "kafka.provisioning.partitions=4");
      List<ServiceRuntime> services = new ArrayList<>();
      try {
        List<String> alerts = with(common, "engine.stateDir=" + work.resolve("alerts"), "silencesApi.enabled=false",
            "receivers[0].name=bench", "receivers[0].type=webhook",
            "receivers[0].url=http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
            "receivers[0].ratePerSecond=1000", "receivers[0].burst=1000");
        alerts.addAll(engineSets);
        services.add(start("alerts", AlertsConfig.class, AlertsConfig.DEFAULTS, alerts,
            config -> context -> new AlertsService(config, context)));
        services.add(start("router", RouterConfig.class, RouterConfig.DEFAULTS, with(common, "indexer.enabled=false",
            "watcher.identity=bench", "kubernetes.kubeconfig=" + kubeconfig),
            config -> context -> new RouterService(config, context)));
        List<AtomicReference<AgentService>> agents = new ArrayList<>();
        for (SimulatedNode node : cluster.nodes()) {
          AtomicReference<AgentService> agent = new AtomicReference<>();
          agents.add(agent);
          services.add(start("agent-" + node.name(), AgentConfig.class, AgentConfig.DEFAULTS, with(common,
              "node.name=" + node.name(), "kubernetes.kubeconfig=" + kubeconfig, "logs.root=" + cluster.logsRoot(),
              "checkpoints.dir=" + work.resolve("checkpoints-" + node.name()), "kubelet.endpoints="),
              config -> context -> {
                AgentService service = new AgentService(config, context);
                agent.set(service);
                return service;
              }));
        }
        while (!agents.stream().allMatch(agent -> agent.get().podSignalsSynced())) {
          Thread.sleep(100);
        }
        try (ScenarioRun run = ScenarioRun.start(cluster, built)) {
          run.groundTruth().onRecord(truth -> {
            if (truth.signal() == Signal.CONTAINER_TERMINATED) {
              written.putIfAbsent(truth.object().name(), Instant.now());
            }
          });
          Instant deadline = Instant.now().plus(WARM_UP).plus(SPACING.multipliedBy(incidents)).plusSeconds(60);
          while (received.size() < incidents && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
          }
        }
      } finally {
        for (int i = services.size() - 1; i >= 0; i--) {
          services.get(i).close();
        }
        receiver.stop(0);
      }
    }
    report(incidents, engineSets, written, received, output);
  }

  private static List<String> with(List<String> common, String... more) {
    List<String> all = new ArrayList<>(common);
    all.addAll(List.of(more));
    return all;
  }

  private static <C extends Record & io.kubeobserve.core.runtime.ServiceConfig> ServiceRuntime start(String name,
      Class<C> type, String[] defaults, List<String> sets,
      Function<C, Function<io.kubeobserve.core.runtime.ServiceContext, io.kubeobserve.core.runtime.Service>> factory)
      throws Exception {
    C config = ConfigLoader.load(type, new ConfigSources(Optional.empty(), sets, Map.of()), defaults);
    return ServiceRuntime.start(name, config, factory.apply(config));
  }

  /** A webhook receiver recording when the first FIRING message of each pod arrived. */
  private static HttpServer receiver(Map<String, Instant> received) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", (HttpExchange exchange) -> {
      Instant at = Instant.now();
      try (exchange; InputStream in = exchange.getRequestBody()) {
        JsonNode body = JSON.readTree(in.readAllBytes());
        JsonNode alert = body.path("alerts").path(0);
        if ("firing".equals(body.path("status").asText())
            && "OOMKilled".equals(alert.path("labels").path("alertname").asText())) {
          received.putIfAbsent(alert.path("labels").path("pod").asText(), at);
        }
        exchange.sendResponseHeaders(200, -1);
      }
    });
    server.start();
    return server;
  }

  private static void report(int incidents, List<String> engineSets, Map<String, Instant> written,
      Map<String, Instant> received, Path output) throws IOException {
    List<Long> millis = new ArrayList<>();
    written.forEach((pod, at) -> {
      Instant arrived = received.get(pod);
      if (arrived != null) {
        millis.add(Duration.between(at, arrived).toMillis());
      }
    });
    Collections.sort(millis);
    String text = "# alert-engine detection latency, " + Instant.now() + "\n\n"
        + "Engine settings besides the defaults: " + (engineSets.isEmpty() ? "none" : String.join(" ", engineSets))
        + "\n\n"
        + "| incidents | status writes seen | FIRING messages received | p50 ms | p90 ms | p99 ms | max ms |\n"
        + "|---|---|---|---|---|---|---|\n"
        + "| " + incidents + " | " + written.size() + " | " + millis.size() + " | " + percentile(millis, 0.50)
        + " | " + percentile(millis, 0.90) + " | " + percentile(millis, 0.99) + " | "
        + (millis.isEmpty() ? "-" : millis.get(millis.size() - 1)) + " |\n\n"
        + "Latencies (ms, sorted): " + millis + "\n";
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, text);
    LOG.info("\n{}", text);
  }

  /** Nearest-rank percentile. */
  private static String percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return "-";
    }
    int rank = (int) Math.ceil(p * sorted.size());
    return Long.toString(sorted.get(Math.max(0, rank - 1)));
  }
}
