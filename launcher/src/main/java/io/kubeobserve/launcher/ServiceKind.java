package io.kubeobserve.launcher;

import io.kubeobserve.adapter.AdapterConfig;
import io.kubeobserve.adapter.AdapterService;
import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.agent.AgentService;
import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.AlertsService;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.runtime.Service;
import io.kubeobserve.core.runtime.ServiceConfig;
import io.kubeobserve.core.runtime.ServiceContext;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.router.RouterConfig;
import io.kubeobserve.router.RouterService;
import java.util.List;
import java.util.function.BiFunction;

/**
 * One of the four services: its sub-command, its configuration record and defaults, and how it
 * is built.
 *
 * @param <C> the service's configuration record
 */
final class ServiceKind<C extends Record & ServiceConfig> {

  static final ServiceKind<AgentConfig> AGENT = new ServiceKind<>("agent", "collector-agent",
      "Run the collector-agent: container logs, kubelet metrics and pod signals into Kafka.",
      AgentConfig.class, AgentConfig.DEFAULTS, AgentService::new);
  static final ServiceKind<RouterConfig> ROUTER = new ServiceKind<>("router", "event-router",
      "Run the event-router: cluster events into Kafka, logs and events into Elasticsearch.",
      RouterConfig.class, RouterConfig.DEFAULTS, RouterService::new);
  static final ServiceKind<AdapterConfig> ADAPTER = new ServiceKind<>("adapter", "metrics-adapter",
      "Run the metrics-adapter: metrics from Kafka to Prometheus.",
      AdapterConfig.class, AdapterConfig.DEFAULTS, AdapterService::new);
  static final ServiceKind<AlertsConfig> ALERTS = new ServiceKind<>("alerts", "alert-engine",
      "Run the alert-engine: OOM kills, evictions and node pressure to chat.",
      AlertsConfig.class, AlertsConfig.DEFAULTS, AlertsService::new);

  /** All four, in the order the pipeline's data flows. */
  static final List<ServiceKind<?>> ALL = List.of(AGENT, ROUTER, ADAPTER, ALERTS);

  private final String command;
  private final String serviceName;
  private final String description;
  private final Class<C> configType;
  private final String[] defaults;
  private final BiFunction<C, ServiceContext, Service> factory;

  private ServiceKind(String command, String serviceName, String description, Class<C> configType,
      String[] defaults, BiFunction<C, ServiceContext, Service> factory) {
    this.command = command;
    this.serviceName = serviceName;
    this.description = description;
    this.configType = configType;
    this.defaults = defaults;
    this.factory = factory;
  }

  /** The sub-command, such as {@code agent}. */
  String command() {
    return command;
  }

  /** The module and service name, such as {@code collector-agent}. */
  String serviceName() {
    return serviceName;
  }

  /** One line for {@code --help}. */
  String description() {
    return description;
  }

  /** Loads and validates this service's configuration; throws {@code ConfigException}. */
  C load(ConfigSources sources) {
    return ConfigLoader.load(configType, sources, defaults);
  }

  /** Starts the service with a configuration {@link #load} returned. */
  ServiceRuntime start(C config) throws Exception {
    return ServiceRuntime.start(serviceName, config, context -> factory.apply(config, context));
  }

  /** Loads the configuration and starts the service. */
  ServiceRuntime start(ConfigSources sources) throws Exception {
    return start(load(sources));
  }

  @Override
  public String toString() {
    return command;
  }
}
