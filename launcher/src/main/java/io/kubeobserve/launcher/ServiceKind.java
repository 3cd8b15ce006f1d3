package io.kubeobserve.launcher;

import io.kubeobserve.adapter.AdapterConfig;
import io.kubeobserve.adapter.AdapterService;
import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.agent.AgentService;
import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.AlertsService;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.runtime.ServiceConfig;
import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.router.RouterConfig;
import io.kubeobserve.router.RouterService;

/** The four services: their command name, configuration and how each is started. */
enum ServiceKind {
  AGENT("agent", "collector-agent") {
    @Override
    ServiceConfig load(ConfigSources sources) {
      return ConfigLoader.load(AgentConfig.class, sources, AgentConfig.DEFAULTS);
    }

    @Override
    ServiceRuntime start(ServiceConfig config) throws Exception {
      AgentConfig agent = (AgentConfig) config;
      return ServiceRuntime.start(serviceName(), agent, context -> new AgentService(agent, context));
    }
  },
  ROUTER("router", "event-router") {
    @Override
    ServiceConfig load(ConfigSources sources) {
      return ConfigLoader.load(RouterConfig.class, sources, RouterConfig.DEFAULTS);
    }

    @Override
    ServiceRuntime start(ServiceConfig config) throws Exception {
      return ServiceRuntime.start(serviceName(), config, context -> new RouterService((RouterConfig) config));
    }
  },
  ADAPTER("adapter", "metrics-adapter") {
    @Override
    ServiceConfig load(ConfigSources sources) {
      return ConfigLoader.load(AdapterConfig.class, sources, AdapterConfig.DEFAULTS);
    }

    @Override
    ServiceRuntime start(ServiceConfig config) throws Exception {
      return ServiceRuntime.start(serviceName(), config, context -> new AdapterService((AdapterConfig) config));
    }
  },
  ALERTS("alerts", "alert-engine") {
    @Override
    ServiceConfig load(ConfigSources sources) {
      return ConfigLoader.load(AlertsConfig.class, sources, AlertsConfig.DEFAULTS);
    }

    @Override
    ServiceRuntime start(ServiceConfig config) throws Exception {
      return ServiceRuntime.start(serviceName(), config, context -> new AlertsService((AlertsConfig) config));
    }
  };

  private final String command;
  private final String serviceName;

  ServiceKind(String command, String serviceName) {
    this.command = command;
    this.serviceName = serviceName;
  }

  /** The sub-command, such as {@code agent}. */
  String command() {
    return command;
  }

  /** The module and service name, such as {@code collector-agent}. */
  String serviceName() {
    return serviceName;
  }

  /** Loads and validates this service's configuration; throws {@code ConfigException}. */
  abstract ServiceConfig load(ConfigSources sources);

  /** Starts the service with a configuration {@link #load} returned. */
  abstract ServiceRuntime start(ServiceConfig config) throws Exception;
}
