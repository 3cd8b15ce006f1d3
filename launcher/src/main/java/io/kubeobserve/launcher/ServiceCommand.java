package io.kubeobserve.launcher;

import io.kubeobserve.core.runtime.ServiceConfig;
import io.kubeobserve.core.runtime.ServiceRuntime;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs one service until SIGTERM or Ctrl-C. */
abstract class ServiceCommand implements Callable<Integer> {

  @Mixin ConfigOptions options = new ConfigOptions();

  abstract ServiceKind kind();

  @Override
  public Integer call() throws Exception {
    ServiceConfig config = kind().load(options.sources());
    ServiceRuntime runtime = kind().start(config).closeOnShutdownSignal();
    runtime.awaitStopped();
    return 0;
  }

  @Command(name = "agent", description = "Run the collector-agent: container logs, kubelet metrics and pod signals into Kafka.")
  static final class Agent extends ServiceCommand {
    @Override
    ServiceKind kind() {
      return ServiceKind.AGENT;
    }
  }

  @Command(name = "router", description = "Run the event-router: cluster events into Kafka, logs and events into Elasticsearch.")
  static final class Router extends ServiceCommand {
    @Override
    ServiceKind kind() {
      return ServiceKind.ROUTER;
    }
  }

  @Command(name = "adapter", description = "Run the metrics-adapter: metrics from Kafka to Prometheus.")
  static final class Adapter extends ServiceCommand {
    @Override
    ServiceKind kind() {
      return ServiceKind.ADAPTER;
    }
  }

  @Command(name = "alerts", description = "Run the alert-engine: OOM kills, evictions and node pressure to chat.")
  static final class Alerts extends ServiceCommand {
    @Override
    ServiceKind kind() {
      return ServiceKind.ALERTS;
    }
  }
}
