package io.kubeobserve.launcher;

import io.kubeobserve.core.config.ConfigSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}, shared by every command that reads configuration. */
final class ConfigOptions {

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (optional where defaults serve)")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "override one key, as Helm's --set: kafka.bootstrapServers=host:9092, receivers[0].url=...")
  List<String> sets = new ArrayList<>();

  ConfigSources sources() {
    return ConfigSources.of(Optional.ofNullable(config), sets);
  }
}
