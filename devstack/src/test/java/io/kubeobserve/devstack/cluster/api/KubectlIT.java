package io.kubeobserve.devstack.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.ExternalTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl (the real binary) against the simulation, through the kubeconfig it writes. */
@WithSimulatedApiServer
class KubectlIT {

  private static final String NODE = "gk3-infra-cluster-pool-2-be3fcd50-lzd5";

  @TempDir
  static Path directory;
  private static Path kubectl;
  private static Path kubeconfig;
  private static TestKubelet kubelet;
  private static String loggerUid;

  @BeforeAll
  static void cluster(SimulatedApiServer server) {
    kubectl = ExternalTools.require("kubectl");
    kubeconfig = server.writeKubeconfig(directory.resolve("kubeconfig"));
    kubelet = new TestKubelet(NODE, server.token());
    ObjectNode node = Fixtures.object("node_memorypressure-true_gke-cos.json");
    ObjectNode status = (ObjectNode) node.get("status");
    status.putArray("addresses").addObject().put("type", "InternalIP").put("address", "127.0.0.1");
    status.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", kubelet.port());
    server.store().create(node);

    server.store().ensureNamespace("mission-control");
    server.store().create(Fixtures.object("pod_oomkilled-lastState_crashloop-restarts9_gke-containerd.json"));
    server.store().create(Fixtures.object("pod_evicted_memory_status-reason_gke.json"));
    loggerUid = Json.meta(server.store().create(Fixtures.runningPod("logger", NODE)), "uid");

    server.store().create(Fixtures.object("event_evicted_memory_kubelet_aks.json"));
    server.store().ensureNamespace("message-pod-init-crashloop-backoff");
    Fixtures.items("eventlist_backoff-failed_init-crashloop_minikube.json")
        .forEach(event -> server.store().create(event));
  }

  @AfterAll
  static void stopKubelet() {
    if (kubelet != null) {
      kubelet.close();
    }
  }

  @Test
  void getNodesPrintsStatusRolesAndVersion() throws Exception {
    List<String> lines = run("get", "nodes");
    assertThat(lines.get(0)).matches("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION");
    assertThat(lines.get(1)).matches(NODE + "\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.30\\.5-gke\\.1443001");
  }

  @Test
  void getPodsInAllNamespacesPrintsServerSideColumns() throws Exception {
    List<String> lines = run("get", "pods", "-A");
    assertThat(lines.get(0)).matches("NAMESPACE\\s+NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE");
    assertThat(lines).anyMatch(line -> line.matches("default\\s+evicted-pod\\s+0/1\\s+Evicted\\s+0\\s+\\S+"));
    assertThat(lines).anyMatch(line -> line.matches("default\\s+logger\\s+1/1\\s+Running\\s+0\\s+\\S+"));
    assertThat(lines).anyMatch(line -> line.startsWith("mission-control") && line.contains("oomkilled-pod")
        && line.matches(".*\\s9 \\(\\S+ ago\\)\\s.*"));
  }

  @Test
  void getEventsInAllNamespacesPrintsReasonsAndObjects() throws Exception {
    List<String> lines = run("get", "events", "-A");
    assertThat(lines.get(0)).matches("NAMESPACE\\s+LAST SEEN\\s+TYPE\\s+REASON\\s+OBJECT\\s+MESSAGE");
    assertThat(lines).anyMatch(line -> line.matches(
        "default\\s+\\S+\\s+Warning\\s+Evicted\\s+pod/nginx\\s+The node was low on resource: memory\\..*"));
    assertThat(lines).anyMatch(line -> line.matches(
        "message-pod-init-crashloop-backoff\\s+\\S+\\s+Warning\\s+BackOff\\s+pod/init-demo\\s+Back-off restarting failed container.*"));
  }

  @Test
  void rawNodeProxyReachesTheKubelet() throws Exception {
    List<String> lines = run("get", "--raw", "/api/v1/nodes/" + NODE + "/proxy/stats/summary");
    assertThat(String.join("\n", lines)).contains("\"nodeName\":\"" + NODE + "\"")
        .contains("\"workingSetBytes\":123456");
  }

  @Test
  void logsFollowStreamsAppendedLines(SimulatedApiServer server) throws Exception {
    Path file = CriLogFiles.path(server.options().logsRoot().orElseThrow(), "default", "logger",
        loggerUid, "oomkilled", 0);
    Instant start = Instant.parse("2024-11-20T09:30:00.123456789Z");
    CriLogFiles.append(file, CriLogFiles.line(start, "first line"),
        start.plusSeconds(1) + " stdout P second ", start.plusSeconds(1) + " stdout F line");
    Path out = directory.resolve("logs-f.out");
    Process process = command("logs", "-f", "logger").redirectOutput(out.toFile())
        .redirectError(directory.resolve("logs-f.err").toFile()).start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> read(out).contains("second line\n"));
      CriLogFiles.append(file, CriLogFiles.line(start.plusSeconds(2), "third line"));
      await().atMost(Duration.ofSeconds(20)).until(() -> read(out).contains("third line\n"));
      assertThat(read(out)).isEqualTo("first line\nsecond line\nthird line\n");
      assertThat(process.isAlive()).as("kubectl logs -f keeps following").isTrue();
    } finally {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  private static ProcessBuilder command(String... args) {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig",
        kubeconfig.toString(), "--cache-dir", directory.resolve("kube-cache").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HOME", directory.toString());
    builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    return builder;
  }

  private static List<String> run(String... args) throws Exception {
    Path out = Files.createTempFile(directory, "kubectl", ".out");
    Path err = Files.createTempFile(directory, "kubectl", ".err");
    Process process = command(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish: " + read(err));
    }
    assertThat(process.exitValue()).as("kubectl %s failed: %s", String.join(" ", args), read(err))
        .isZero();
    return read(out).lines().toList();
  }
}
