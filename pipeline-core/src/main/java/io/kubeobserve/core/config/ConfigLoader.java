package io.kubeobserve.core.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Loads a service's configuration into its immutable record type, strictly. Defaults come from a
 * YAML resource of the service, which also documents every key; a key whose default is {@code ~}
 * (null) must be given unless its type is {@code Optional}.
 *
 * <p>Every problem is a {@link ConfigException} naming the key path and what was expected.
 * Values read for {@link Secret} keys are never part of a message.
 */
public final class ConfigLoader {

  private ConfigLoader() {}

  /**
   * @param type the service's configuration record
   * @param sources the file, overrides and environment to apply over the defaults
   * @param defaultsResources classpath resources holding the defaults, merged in order, such as
   *     {@code core-defaults.yaml} then {@code agent-defaults.yaml}
   */
  public static <T extends Record> T load(Class<T> type, ConfigSources sources, String... defaultsResources) {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (String resource : defaultsResources) {
      ConfigTree.merge(tree, ConfigTree.readResource(resource));
    }
    sources.file().ifPresent(file -> ConfigTree.merge(tree, ConfigTree.readFile(file)));
    applyEnvironment(type, tree, sources.environment());
    for (String set : sources.sets()) {
      applySet(type, tree, set);
    }
    return RecordBinder.bind(type, tree);
  }

  private static void applyEnvironment(Class<?> type, Map<String, Object> tree, Map<String, String> environment) {
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith(KeyPath.ENV_PREFIX)) {
        continue;
      }
      Optional<List<Object>> path = KeyPath.fromEnvironmentName(name.substring(KeyPath.ENV_PREFIX.length()), type);
      if (path.isEmpty()) {
        throw new ConfigException(name, "environment variable names no configuration key of this service");
      }
      ConfigTree.put(tree, path.get(), variable.getValue());
    }
  }

  private static void applySet(Class<?> type, Map<String, Object> tree, String set) {
    int equals = set.indexOf('=');
    if (equals <= 0) {
      throw new ConfigException("--set " + set, "expected key=value, such as kafka.bootstrapServers=host:9092");
    }
    String key = set.substring(0, equals).trim();
    String value = set.substring(equals + 1);
    ConfigTree.put(tree, KeyPath.parseSetKey(key, type), parseSetValue(value));
  }

  /** Helm's list form {@code {a,b}} becomes a list; anything else stays a string for the binder. */
  private static Object parseSetValue(String value) {
    if (value.startsWith("{") && value.endsWith("}")) {
      String inner = value.substring(1, value.length() - 1);
      return inner.isBlank() ? new ArrayList<>() : new ArrayList<>(Arrays.stream(inner.split(",", -1)).map(String::trim).toList());
    }
    return value;
  }
}
