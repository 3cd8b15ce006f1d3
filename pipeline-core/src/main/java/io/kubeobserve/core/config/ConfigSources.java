package io.kubeobserve.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a service's configuration comes from, lowest precedence first: the service's built-in
 * defaults, an optional YAML file, {@code KUBE_OBSERVE_*} environment variables, then
 * {@code --set key=value} overrides in the order given.
 *
 * @param file the YAML file, if any
 * @param sets {@code key=value} overrides, keys as dotted paths ({@code receivers[0].url=...})
 * @param environment the process environment; only {@code KUBE_OBSERVE_*} variables are read
 */
public record ConfigSources(Optional<Path> file, List<String> sets, Map<String, String> environment) {

  public ConfigSources {
    sets = List.copyOf(sets);
    environment = Map.copyOf(environment);
  }

  /** No file, no overrides, no environment: the defaults alone. */
  public static ConfigSources defaultsOnly() {
    return new ConfigSources(Optional.empty(), List.of(), Map.of());
  }

  /** The given file and overrides, with this process's environment. */
  public static ConfigSources of(Optional<Path> file, List<String> sets) {
    return new ConfigSources(file, sets, System.getenv());
  }
}
