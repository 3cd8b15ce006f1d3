package io.kubeobserve.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.ExternalTools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kube-observe sim}: the simulated cluster alone, used with kubectl through the kubeconfig it writes. */
class SimCommandIT {

  @TempDir Path dir;

  @Test
  void simPlaysOomKillAndKubectlSeesTheOomKilledPod() throws Exception {
    Path kubectl = ExternalTools.require("kubectl");
    Path kubeconfig = dir.resolve("sim.kubeconfig");
    Path logsRoot = dir.resolve("pods");
    Process sim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", System.getProperty("java.class.path"), KubeObserve.class.getName(), "sim", "--scenario", "oom-kill",
        "--speed", "20", "--duration", "120", "--kubeconfig-out", kubeconfig.toString(), "--logs-root",
        logsRoot.toString()).redirectErrorStream(true).start();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8))) {
        lines.lines().forEach(output::add);
      } catch (Exception e) {
        output.add("reader failed: " + e);
      }
    });
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> output.stream().anyMatch(l -> l.contains("CONTAINER_TERMINATED")));
      assertThat(output).anyMatch(l -> l.matches("\\s+Kubernetes API\\s+https://127\\.0\\.0\\.1:\\d+"))
          .anyMatch(l -> l.contains("kubeconfig") && l.contains(kubeconfig.toString()))
          .anyMatch(l -> l.contains("kubectl --kubeconfig " + kubeconfig + " get pods -A"));
      String incident = output.stream().filter(l -> l.contains("CONTAINER_TERMINATED")).findFirst().orElseThrow();
      assertThat(incident).contains("OOMKilled").contains("exitCode=137").contains("[checkout]");
      String pod = incident.replaceFirst(".*Pod/shop/(\\S+) .*", "$1");

      List<String> pods = kubectl(kubectl, kubeconfig, "get", "pods", "-A");
      assertThat(pods).anyMatch(l -> l.matches("shop\\s+" + pod + "\\s+[01]/1\\s+(Running|CrashLoopBackOff|OOMKilled)\\s+1\\s.*"));
      assertThat(kubectl(kubectl, kubeconfig, "get", "pod", pod, "-n", "shop", "-o",
          "jsonpath={.status.containerStatuses[0].lastState.terminated.reason} {.status.containerStatuses[0].lastState.terminated.exitCode}"))
          .containsExactly("OOMKilled 137");
      assertThat(kubectl(kubectl, kubeconfig, "get", "events", "-n", "shop", "--field-selector",
          "involvedObject.name=" + pod)).anyMatch(l -> l.contains("BackOff") && l.contains("Back-off restarting failed container checkout"));
      assertThat(logsRoot).isDirectoryContaining(p -> p.getFileName().toString().startsWith("shop_" + pod + "_"));

      sim.toHandle().destroy(); // SIGTERM, as Ctrl-C
      assertThat(sim.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join(5000);
      assertThat(output).anyMatch(l -> l.contains("Stopping the simulated cluster"));
    } finally {
      sim.destroyForcibly();
    }
  }

  @Test
  void simStopsAfterItsDurationAndRejectsAnUnknownScenario() throws Exception {
    Path kubeconfig = dir.resolve("steady.kubeconfig");
    CommandLineTester steady = CommandLineTester.run("sim", "--scenario", "steady", "--duration", "1",
        "--kubeconfig-out", kubeconfig.toString());
    assertThat(steady.exitCode()).isZero();
    assertThat(steady.out()).contains("Simulated cluster running scenario steady").contains("kubelet sim-node-2");
    assertThat(Files.readString(kubeconfig)).contains("certificate-authority-data").contains("token:");

    CommandLineTester unknown = CommandLineTester.run("sim", "--scenario", "meteor-strike");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("neither a built-in scenario");
  }

  private List<String> kubectl(Path kubectl, Path kubeconfig, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", dir.resolve("kube-cache").toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "kubectl", ".out");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectErrorStream(false)
        .redirectError(dir.resolve("kubectl.err").toFile());
    builder.environment().put("HOME", dir.toString());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args),
        Files.readString(dir.resolve("kubectl.err"))).isZero();
    return Files.readAllLines(out);
  }
}
