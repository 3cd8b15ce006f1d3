package io.kubeobserve.launcher;

import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordDecodeException;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.devstack.ExternalTools;
import io.kubeobserve.devstack.Ports;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubeobserve.devstack.cluster.SimulatedNode;
import io.kubeobserve.devstack.elasticsearch.LocalElasticsearch;
import io.kubeobserve.devstack.cluster.scenario.Scenario;
import io.kubeobserve.devstack.cluster.scenario.ScenarioRun;
import io.kubeobserve.devstack.cluster.scenario.Scenarios;
import io.kubeobserve.devstack.prometheus.LocalPrometheus;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The whole pipeline on the local stack: a real Kafka broker in this process, Elasticsearch (unless
 * {@code --no-elasticsearch}) for the router's indexer, Prometheus when it is installed, the four
 * services (an agent per simulated node), and the simulated cluster playing the {@code demo}
 * scenario, whose container logs the agents ship. Prints what runs where, the scenario's incidents
 * and the log lines as they come out of Kafka, until Ctrl-C or {@code --duration}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline on the local stack, against the simulated cluster playing the demo scenario.")
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after this many seconds (default: run until Ctrl-C)")
  long durationSeconds = 0;

  @Option(names = "--no-elasticsearch",
      description = "do not start Elasticsearch (the router's indexer stays off; saves about 600 MiB and 20 s)")
  boolean noElasticsearch;

  private final List<AutoCloseable> running = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    StopSignal stop = new StopSignal("demo");
    Path work = Files.createTempDirectory("kube-observe-demo-");
    try {
      out.println("Starting the local stack (this takes a few seconds)...");
      out.flush();
      EmbeddedKafka kafka = track(EmbeddedKafka.start(Files.createDirectories(work.resolve("kafka"))));
      Path logsRoot = Files.createDirectories(work.resolve("pods"));
      Scenario scenario = Scenarios.builtIn("demo");
      SimulatedCluster cluster = track(scenario.clusterBuilder().logsRoot(logsRoot)
          .linesPerSecond(0.25).build().start());
      Path kubeconfig = cluster.kubeconfig(work.resolve("kubeconfig"));
      int relayPort = Ports.freeLoopbackPort();
      Optional<LocalElasticsearch> elasticsearch = noElasticsearch ? Optional.empty() : startElasticsearch(out);
      DemoChat chat = track(DemoChat.start(out));
      Map<String, ServiceRuntime> services = new LinkedHashMap<>();
      for (ServiceKind<?> kind : ServiceKind.ALL) {
        List<String> sets = new ArrayList<>(List.of(
            "kafka.bootstrapServers=" + kafka.bootstrapServers(), "cluster.name=demo", "ops.port=0",
            "ops.address=127.0.0.1", "kafka.provisioning.partitions=3", "kafka.provisioning.replicationFactor=1",
            "kafka.provisioning.minInsyncReplicas=1"));
        if (kind == ServiceKind.AGENT) {
          // one agent per node, as the DaemonSet runs them; the simulated cluster writes every node's
          // pod logs under one root, so the first agent ships them all and the others none
          for (SimulatedNode node : cluster.nodes()) {
            List<String> agentSets = new ArrayList<>(sets);
            agentSets.addAll(List.of("kubernetes.kubeconfig=" + kubeconfig, "kubelet.transport=apiServerProxy",
                "node.name=" + node.name(), "logs.root=" + logsRoot,
                "logs.enabled=" + node.equals(cluster.nodes().get(0)),
                "checkpoints.dir=" + Files.createDirectories(work.resolve("checkpoints-" + node.name()))));
            services.put(kind.serviceName() + " " + node.name(),
                track(kind.start(new ConfigSources(Optional.empty(), agentSets, Map.of()))));
          }
          continue;
        }
        if (kind == ServiceKind.ROUTER) {
          sets.add("kubernetes.kubeconfig=" + kubeconfig);
          sets.add(elasticsearch.map(es -> "elasticsearch.urls=" + es.httpUrl()).orElse("indexer.enabled=false"));
        }
        if (kind == ServiceKind.ADAPTER) {
          sets.addAll(List.of("exposition.port=" + relayPort, "exposition.address=127.0.0.1"));
        }
        if (kind == ServiceKind.ALERTS) {
          sets.addAll(List.of("engine.stateDir=" + Files.createDirectories(work.resolve("alerts")),
              "silencesApi.address=127.0.0.1", "silencesApi.port=0", "incidents.quietPeriod=1m",
              "receivers[0].name=demo-chat",
              "receivers[0].type=webhook", "receivers[0].url=" + chat.url()));
        }
        services.put(kind.serviceName(), track(kind.start(new ConfigSources(Optional.empty(), sets, Map.of()))));
      }
      Optional<LocalPrometheus> prometheus = startPrometheus(services, relayPort);

      ScenarioRun run = track(ScenarioRun.start(cluster, scenario));
      printBanner(out, kafka, services, prometheus, elasticsearch, cluster, kubeconfig);
      run.groundTruth().onRecord(truth -> {
        out.println("  incident: " + truth.summary());
        out.flush();
      });
      Thread printer = new Thread(() -> printLogLines(kafka, out, stop), "demo-printer");
      printer.setDaemon(true);
      printer.start();
      stop.await(durationSeconds);
      printer.join(2000);
      out.println("Stopping the demo...");
      out.flush();
      return 0;
    } finally {
      for (int i = running.size() - 1; i >= 0; i--) {
        running.get(i).close();
      }
      deleteTree(work);
      stop.close();
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    running.add(resource);
    return resource;
  }

  /**
   * A local Elasticsearch for the router's indexer; the demo goes on without it (and says why) when it
   * cannot start, for example when its distribution was not downloaded.
   */
  private Optional<LocalElasticsearch> startElasticsearch(PrintWriter out) {
    out.println("Starting Elasticsearch (about 20 s; --no-elasticsearch skips it)...");
    out.flush();
    try {
      return Optional.of(track(LocalElasticsearch.start()));
    } catch (RuntimeException e) {
      out.println("Elasticsearch did not start (" + e.getMessage() + "); the router's indexer stays off.");
      out.flush();
      return Optional.empty();
    }
  }

  /** Prometheus scrapes every service's ops endpoint, and the adapter's relay of the kubelet metrics. */
  private Optional<LocalPrometheus> startPrometheus(Map<String, ServiceRuntime> services, int relayPort) {
    if (ExternalTools.find("prometheus").isEmpty()) {
      return Optional.empty();
    }
    LocalPrometheus prometheus = track(LocalPrometheus.start());
    services.forEach((name, runtime) ->
        prometheus.addScrapeJob(name.replace(' ', '-'), "127.0.0.1:" + runtime.opsPort(), "/metrics", false));
    prometheus.addScrapeJob("kubelet-relay", "127.0.0.1:" + relayPort, "/metrics", true);
    return Optional.of(prometheus);
  }

  private static void printBanner(PrintWriter out, EmbeddedKafka kafka, Map<String, ServiceRuntime> services,
      Optional<LocalPrometheus> prometheus, Optional<LocalElasticsearch> elasticsearch, SimulatedCluster cluster,
      Path kubeconfig) {
    out.println();
    out.println("kube-observe demo is running. Ctrl-C stops it.");
    out.println();
    out.println("  Kafka broker                " + kafka.bootstrapServers());
    out.println("  Kubernetes API              " + cluster.url() + " (simulated, scenario demo)");
    out.println("  kubeconfig                  " + kubeconfig);
    out.println("  pod logs                    " + cluster.logsRoot());
    services.forEach((name, runtime) -> out.printf("  %-27s http://127.0.0.1:%d/metrics  /healthz  /readyz%n",
        name, runtime.opsPort()));
    out.println("  Prometheus                  " + prometheus.map(LocalPrometheus::url)
        .orElse("not started: install the Debian package prometheus to have it scrape the services"));
    out.println("  Elasticsearch               " + elasticsearch.map(LocalElasticsearch::httpUrl)
        .orElse("not started: the router's indexer is off"));
    out.println();
    out.println("In another terminal:");
    out.println("  KUBE_OBSERVE_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers()
        + " ./kube-observe tail --topic k8s-logs");
    out.println("  kubectl --kubeconfig " + kubeconfig + " get pods -A");
    out.println();
    prometheus.ifPresent(p -> out.println("In Prometheus, the kubelet metrics relayed through Kafka: "
        + "container_memory_working_set_bytes{job=\"kubelet\"}"));
    out.println("The event-router watches the cluster's Events and Node conditions into k8s-events:");
    out.println("  KUBE_OBSERVE_KAFKA_BOOTSTRAP_SERVERS=" + kafka.bootstrapServers() + " ./kube-observe tail --topic k8s-events");
    out.println("The alert-engine sends its incidents to a webhook the demo prints (lines starting with 'alert').");
    elasticsearch.ifPresent(es -> {
      out.println("The event-router indexes the logs and events into Elasticsearch data streams:");
      out.println("  curl '" + es.httpUrl() + "/logs-kubernetes.container_logs-default/_search?q=%22memory+usage+high%22&size=3'");
      out.println("  curl '" + es.httpUrl() + "/logs-kubernetes.events-default/_search?q=BackOff&size=3'");
    });
    out.println("Not in the demo yet: Grafana dashboards.");
    out.println();
    out.println("Incidents of the simulated cluster, the alerts they raise, and container log lines as they come out");
    out.println("of Kafka (topic k8s-logs):");
    out.flush();
  }

  private static void printLogLines(EmbeddedKafka kafka, PrintWriter out, StopSignal stop) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "group.id", "demo-printer", "auto.offset.reset", "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("k8s-logs"));
      while (!stop.stopped()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          printBatch(record, out);
        }
        out.flush();
      }
    } catch (RuntimeException e) {
      if (!stop.stopped()) {
        out.println("  (stopped printing: " + e + ")");
      }
    }
  }

  private static void printBatch(ConsumerRecord<byte[], byte[]> record, PrintWriter out) {
    try {
      for (ResourceLogs resourceLogs : OtlpCodec.decodeLogs(record.value()).getResourceLogsList()) {
        var attributes = resourceLogs.getResource().getAttributesList();
        String where = OtlpValues.stringAttribute(attributes, Attributes.K8S_NAMESPACE_NAME).orElse("?") + "/"
            + OtlpValues.stringAttribute(attributes, Attributes.K8S_POD_NAME).orElse("?") + " ["
            + OtlpValues.stringAttribute(attributes, Attributes.K8S_CONTAINER_NAME).orElse("?") + "]";
        for (ScopeLogs scope : resourceLogs.getScopeLogsList()) {
          for (LogRecord log : scope.getLogRecordsList()) {
            out.printf("  %-50s %s%n", where, log.getBody().getStringValue());
          }
        }
      }
    } catch (RecordDecodeException e) {
      out.println("  (undecodable record at offset " + record.offset() + ": " + e.getMessage() + ")");
    }
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (Exception e) {
      // a temporary directory; the OS cleans it up eventually
    }
  }
}
