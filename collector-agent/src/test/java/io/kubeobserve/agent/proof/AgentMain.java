package io.kubeobserve.agent.proof;

import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.agent.AgentService;
import io.kubeobserve.core.config.ConfigException;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.runtime.ServiceRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The agent as {@code kube-observe agent --set key=value...} runs it (the launcher's {@code
 * ServiceKind}), for tests that need it in a process of its own: the launcher module cannot be a
 * dependency of collector-agent's tests. Exit code 2 and one line naming the key on a config error.
 */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) throws Exception {
    List<String> settings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].equals("--set") || i + 1 == args.length) {
        System.err.println("usage: AgentMain [--set key=value]...");
        System.exit(2);
      }
      settings.add(args[++i]);
    }
    AgentConfig config;
    try {
      config = ConfigLoader.load(AgentConfig.class, new ConfigSources(Optional.empty(), settings, Map.of()),
          AgentConfig.DEFAULTS);
    } catch (ConfigException e) {
      System.err.println("kube-observe agent: config error: " + e.getMessage());
      System.exit(ConfigException.EXIT_CODE);
      return;
    }
    ServiceRuntime.start("collector-agent", config, context -> new AgentService(config, context))
        .closeOnShutdownSignal()
        .awaitStopped();
  }
}
