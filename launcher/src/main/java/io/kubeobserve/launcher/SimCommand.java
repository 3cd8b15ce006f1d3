package io.kubeobserve.launcher;

import io.kubeobserve.devstack.cluster.SimulatedCluster;
import io.kubeobserve.devstack.cluster.SimulatedNode;
import io.kubeobserve.devstack.cluster.scenario.Scenario;
import io.kubeobserve.devstack.cluster.scenario.ScenarioRun;
import io.kubeobserve.devstack.cluster.scenario.Scenarios;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The simulated cluster alone: its API server, kubelets and container log files, playing a
 * scenario, so that kubectl or any other client can be pointed at it. Prints where it is and how to
 * use it, then each incident as it happens, until Ctrl-C or {@code --duration}.
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = "Run the simulated Kubernetes cluster alone (API server, kubelets, container logs), playing a scenario.")
final class SimCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--scenario", paramLabel = "NAME|FILE", description = "a built-in scenario (${COMPLETION-CANDIDATES}) or a"
      + " scenario YAML file (default: ${DEFAULT-VALUE})", completionCandidates = BuiltIn.class)
  String scenario = "demo";

  @Option(names = "--kubeconfig-out", paramLabel = "PATH", description = "where to write the kubeconfig (default: a temporary file)")
  Path kubeconfig;

  @Option(names = "--logs-root", paramLabel = "DIR", description = "where container log files go (default: a temporary directory)")
  Path logsRoot;

  @Option(names = "--speed", paramLabel = "X", description = "how many times faster than real time the cluster runs (default: ${DEFAULT-VALUE})")
  double speed = 1;

  @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after this many seconds (default: run until Ctrl-C)")
  long durationSeconds = 0;

  @Option(names = "--seed", description = "seed of names, uids and log content (default: ${DEFAULT-VALUE})")
  long seed = 42;

  /** The built-in scenario names, for the help text. */
  static final class BuiltIn extends java.util.ArrayList<String> {
    BuiltIn() {
      super(Scenarios.BUILT_IN);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Scenario loaded;
    try {
      loaded = Scenarios.load(scenario);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("kube-observe sim: " + e.getMessage());
      return 2;
    }
    if (!(speed > 0) || Double.isInfinite(speed)) {
      spec.commandLine().getErr().println("kube-observe sim: --speed must be a number > 0, got " + speed);
      return 2;
    }
    boolean temporaryKubeconfig = kubeconfig == null;
    SimulatedCluster.Builder builder = loaded.clusterBuilder().speed(speed).seed(seed);
    if (logsRoot != null) {
      builder.logsRoot(Files.createDirectories(logsRoot));
    }
    try (StopSignal stop = new StopSignal("sim"); SimulatedCluster cluster = builder.build().start()) {
      Path written = cluster.kubeconfig(temporaryKubeconfig ? Files.createTempFile("kube-observe-sim-", ".kubeconfig")
          : kubeconfig);
      try (ScenarioRun run = ScenarioRun.start(cluster, loaded)) {
        printBanner(out, loaded, cluster, written);
        run.groundTruth().onRecord(truth -> {
          out.println("  " + truth.summary());
          out.flush();
        });
        stop.await(durationSeconds);
        out.println("Stopping the simulated cluster...");
        out.flush();
      } finally {
        if (temporaryKubeconfig) {
          Files.deleteIfExists(written);
        }
      }
      return 0;
    }
  }

  private void printBanner(PrintWriter out, Scenario loaded, SimulatedCluster cluster, Path written) {
    out.println();
    out.printf("Simulated cluster running scenario %s at %s real time. Ctrl-C stops it.%n", loaded.name(),
        speed == 1 ? "1x" : speed + "x");
    if (!loaded.description().isEmpty()) {
      out.println("  " + loaded.description());
    }
    out.println();
    out.println("  Kubernetes API    " + cluster.url());
    out.println("  kubeconfig        " + written);
    out.println("  pod logs          " + cluster.logsRoot());
    for (SimulatedNode node : cluster.nodes()) {
      out.printf("  kubelet %-9s %s%n", node.name(), node.kubeletUrl());
    }
    out.println();
    out.println("Try:");
    out.println("  kubectl --kubeconfig " + written + " get pods -A");
    out.println("  kubectl --kubeconfig " + written + " get events -A --watch");
    out.println("  kubectl --kubeconfig " + written + " get --raw /api/v1/nodes/" + cluster.nodes().get(0).name()
        + "/proxy/stats/summary");
    out.println();
    out.println("Incidents (ground truth) as they happen, in scenario time:");
    out.flush();
  }
}
