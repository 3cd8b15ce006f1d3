package io.kubeobserve.alerts.support;

import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.AlertsService;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.runtime.ServiceRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** An alert-engine run by the real {@link ServiceRuntime}, configured for tests. */
public record Engine(ServiceRuntime runtime, AlertsService service, AlertsConfig config) implements AutoCloseable {

  /**
   * A configuration for tests: topics prefixed by {@code prefix} (4 partitions, one replica), the
   * application {@code <prefix>-alerts}, state under {@code stateDir}, short commit and tick
   * intervals, one webhook receiver {@code chat} with short backoffs, then the test's sets.
   */
  public static AlertsConfig config(String bootstrap, String prefix, Path stateDir, String receiverUrl,
      String... sets) {
    List<String> all = new ArrayList<>(List.of(
        "kafka.bootstrapServers=" + bootstrap,
        "kafka.provisioning.replicationFactor=1",
        "kafka.provisioning.minInsyncReplicas=1",
        "kafka.provisioning.partitions=4",
        "kafka.topics.logs=" + prefix + "-logs",
        "kafka.topics.metrics=" + prefix + "-metrics",
        "kafka.topics.events=" + prefix + "-events",
        "kafka.topics.alerts=" + prefix + "-alerts",
        "kafka.topics.deadletter=" + prefix + "-deadletter",
        "kafka.properties.session.timeout.ms=6000",
        "kafka.properties.heartbeat.interval.ms=1000",
        "ops.port=0",
        "ops.address=127.0.0.1",
        "ops.readinessInterval=500ms",
        "ops.shutdownTimeout=30s",
        "cluster.name=test-cluster",
        "engine.applicationId=" + prefix + "-engine",
        "engine.stateDir=" + stateDir,
        "engine.commitInterval=100ms",
        "engine.tickInterval=200ms",
        "silencesApi.address=127.0.0.1",
        "silencesApi.port=0",
        "receivers[0].name=chat",
        "receivers[0].type=webhook",
        "receivers[0].url=" + receiverUrl,
        "receivers[0].initialBackoff=200ms",
        "receivers[0].maxBackoff=1s",
        "receivers[0].ratePerSecond=100",
        "receivers[0].burst=100"));
    all.addAll(List.of(sets));
    return ConfigLoader.load(AlertsConfig.class, new ConfigSources(Optional.empty(), all, Map.of()),
        AlertsConfig.DEFAULTS);
  }

  public static Engine start(AlertsConfig config) throws Exception {
    AtomicReference<AlertsService> service = new AtomicReference<>();
    ServiceRuntime runtime = ServiceRuntime.start("alerts", config, context -> {
      AlertsService created = new AlertsService(config, context);
      service.set(created);
      return created;
    });
    return new Engine(runtime, service.get(), config);
  }

  /** What the engine's {@code /metrics} serves now. */
  public String metricsText() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + runtime.opsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of the first series of meter {@code name} whose labels contain {@code labels}. */
  public double meter(String name, String labels) throws Exception {
    String text = metricsText();
    return text.lines()
        .filter(line -> (line.startsWith(name + "{") && line.contains(labels))
            || (labels.isEmpty() && line.startsWith(name + " ")))
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no meter " + name + " {" + labels + "} in\n" + text));
  }

  @Override
  public void close() {
    runtime.close();
  }
}
