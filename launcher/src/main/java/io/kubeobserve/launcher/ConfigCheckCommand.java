package io.kubeobserve.launcher;

import io.kubeobserve.core.config.ConfigException;
import io.kubeobserve.core.config.ConfigSources;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Validates a configuration file without starting anything. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a service's configuration file without starting anything.")
final class ConfigCheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the YAML file")
  Path file;

  @Option(names = "--service", paramLabel = "NAME",
      description = "agent, router, adapter or alerts; without it the file must be valid for at least one")
  String service;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides to check along with the file")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ConfigSources sources = ConfigSources.of(Optional.of(file), sets);
    List<ServiceKind<?>> kinds = new ArrayList<>();
    for (ServiceKind<?> kind : ServiceKind.ALL) {
      if (service == null || kind.command().equals(service)) {
        kinds.add(kind);
      }
    }
    if (kinds.isEmpty()) {
      throw new ConfigException("--service", "expected one of agent, router, adapter, alerts, got '" + service + "'");
    }
    List<String> valid = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ServiceKind<?> kind : kinds) {
      try {
        kind.load(sources);
        valid.add(kind.command());
      } catch (ConfigException e) {
        problems.add(kind.command() + ": " + e.getMessage());
      }
    }
    if (valid.isEmpty()) {
      problems.forEach(problem -> spec.commandLine().getErr().println(problem));
      return ConfigException.EXIT_CODE;
    }
    out.println(file + ": valid for " + String.join(", ", valid));
    return 0;
  }
}
