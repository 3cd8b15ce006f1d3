package io.kubeobserve.devstack.cluster.scenario;

import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A scenario playing on a simulated cluster at a high speed, seen as clients see it: client-java
 * through the written kubeconfig, kubelet endpoints through the API server's {@code nodes/proxy},
 * the log files on disk.
 */
final class ScenarioHarness implements AutoCloseable {

  static final double SPEED = 60;

  private final SimulatedCluster cluster;
  private final ScenarioRun run;
  private final CoreV1Api core;
  private final HttpClient http;

  ScenarioHarness(Scenario scenario, Path directory) {
    this(scenario, directory, SPEED);
  }

  ScenarioHarness(Scenario scenario, Path directory, double speed) {
    cluster = scenario.clusterBuilder().speed(speed).linesPerSecond(0.5).seed(7)
        .logsRoot(directory.resolve("pods")).build().start();
    try {
      ApiClient client = Config.fromConfig(cluster.kubeconfig(directory.resolve("kubeconfig")).toString());
      core = new CoreV1Api(client);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    http = HttpClient.newBuilder().sslContext(cluster.apiServer().certificateAuthority().trustingContext())
        .connectTimeout(Duration.ofSeconds(10)).build();
    run = ScenarioRun.start(cluster, scenario);
  }

  static ScenarioHarness builtIn(String name, Path directory) {
    return new ScenarioHarness(Scenarios.builtIn(name), directory);
  }

  static ScenarioHarness builtIn(String name, Path directory, double speed) {
    return new ScenarioHarness(Scenarios.builtIn(name), directory, speed);
  }

  SimulatedCluster cluster() {
    return cluster;
  }

  GroundTruthLog truth() {
    return run.groundTruth();
  }

  CoreV1Api core() {
    return core;
  }

  /** Waits (bounded) for the first ground truth entry matching {@code filter}. */
  GroundTruth awaitTruth(Predicate<GroundTruth> filter) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !run.groundTruth().matching(filter).isEmpty());
    return run.groundTruth().matching(filter).get(0);
  }

  V1Pod pod(String namespace, String name) throws ApiException {
    return core.readNamespacedPod(name, namespace).execute();
  }

  V1Node node(String name) throws ApiException {
    return core.readNode(name).execute();
  }

  /** The events about {@code objectName} in {@code namespace}, read with a field selector as clients do. */
  List<CoreV1Event> eventsAbout(String namespace, String objectName) throws ApiException {
    return core.listNamespacedEvent(namespace).fieldSelector("involvedObject.name=" + objectName).execute().getItems();
  }

  /** GET {@code /api/v1/nodes/<node>/proxy<path>} through the API server; returns status and body. */
  HttpResponse<String> kubelet(String node, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/nodes/" + node + "/proxy" + path))
        .header("Authorization", "Bearer " + cluster.token()).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the first sample of {@code family} in {@code text} whose line contains all {@code labels}, or -1. */
  static double sample(String text, String family, String... labels) {
    return text.lines().filter(line -> line.startsWith(family + "{") || line.startsWith(family + " "))
        .filter(line -> List.of(labels).stream().allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0]))
        .findFirst().orElse(-1);
  }

  /** The CRI timestamp of the last line of {@code text}, or null. */
  static java.time.Instant lastLineTime(String text) {
    List<String> lines = text.lines().toList();
    return lines.isEmpty() ? null : java.time.Instant.parse(lines.get(lines.size() - 1).split(" ", 2)[0]);
  }

  /** The text of a container log file. */
  String logFile(String namespace, String pod, String uid, String container, int restart) throws IOException {
    Path file = cluster.logsRoot().resolve(namespace + "_" + pod + "_" + uid).resolve(container).resolve(restart + ".log");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  @Override
  public void close() {
    run.close();
    cluster.close();
  }
}
