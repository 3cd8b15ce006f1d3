package io.kubeobserve.devstack.cluster.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads scenarios from YAML, strictly: an unknown key, a key that does not belong to the step's
 * action, a wrong type or a bad duration is an {@link IllegalArgumentException} naming where it is.
 *
 * <pre>{@code
 * name: oom-kill                 # required
 * description: ...               # optional
 * nodes: 2                       # optional, default 2
 * podsPerNode: 4                 # optional, default 4 (DaemonSet pods included)
 * steps:                         # optional; each step starts `at` after the scenario starts
 *   - at: 20s                    # durations: 500ms, 20s, 2m, 1h
 *     action: oom-kill           # workload (shop/checkout), node, climb (30s)
 *   - at: 2m
 *     action: crashloop          # workload (payments/api), node, restarts (4), runFor (10s)
 *   - at: 5m
 *     action: eviction-storm     # node, pods (2), recoverAfter (1m)
 *   - at: 8m
 *     action: node-pressure      # pressure (disk | pid, required), node, pods (1), recoverAfter (1m)
 *   - at: 11m
 *     action: node-not-ready     # node (default: the last node), unknownAfter (40s), recoverAfter (2m)
 * }</pre>
 */
public final class ScenarioFiles {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Set<String> TOP_LEVEL = Set.of("name", "description", "nodes", "podsPerNode", "steps");
  private static final Map<String, Set<String>> STEP_KEYS = Map.of(
      "oom-kill", Set.of("workload", "node", "climb"),
      "crashloop", Set.of("workload", "node", "restarts", "runFor"),
      "eviction-storm", Set.of("node", "pods", "recoverAfter"),
      "node-pressure", Set.of("node", "pressure", "pods", "recoverAfter"),
      "node-not-ready", Set.of("node", "unknownAfter", "recoverAfter"));

  private ScenarioFiles() {}

  /** Reads the scenario file {@code file}. */
  public static Scenario read(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario file " + file, e);
    }
  }

  /**
   * Parses scenario YAML; {@code origin} names it in errors.
   *
   * @throws IllegalArgumentException when it is not a valid scenario
   */
  public static Scenario parse(String yaml, String origin) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("scenario " + origin + ": not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("scenario " + origin + ": expected a mapping with name and steps");
    }
    Reader top = new Reader(origin, "", root);
    top.onlyKeys(TOP_LEVEL);
    Scenario.Builder builder = Scenario.builder(top.requiredText("name"))
        .description(top.text("description").orElse("").strip())
        .nodes(top.integer("nodes").orElse(2))
        .podsPerNode(top.integer("podsPerNode").orElse(4));
    JsonNode steps = root.path("steps");
    if (!steps.isMissingNode() && !steps.isNull() && !steps.isArray()) {
      throw top.error("steps", "expected a list of steps");
    }
    for (int i = 0; i < steps.size(); i++) {
      Reader step = new Reader(origin, "steps[" + i + "].", steps.get(i));
      String action = step.requiredText("action");
      Set<String> allowed = STEP_KEYS.get(action);
      if (allowed == null) {
        throw step.error("action", "unknown action '" + action + "'; one of " + STEP_KEYS.keySet().stream().sorted().toList());
      }
      Set<String> keys = new HashSet<>(allowed);
      keys.addAll(List.of("at", "action"));
      step.onlyKeys(keys);
      builder.step(step.requiredDuration("at"), action(action, step));
    }
    return builder.build();
  }

  private static Action action(String type, Reader step) {
    try {
      return switch (type) {
        case "oom-kill" -> new Action.OomKill(step.text("workload").orElse("shop/checkout"), step.text("node"),
            step.duration("climb").orElse(Duration.ofSeconds(30)));
        case "crashloop" -> new Action.CrashLoop(step.text("workload").orElse("payments/api"), step.text("node"),
            step.integer("restarts").orElse(4), step.duration("runFor").orElse(Duration.ofSeconds(10)));
        case "eviction-storm" -> new Action.EvictionStorm(step.text("node"), step.integer("pods").orElse(2),
            step.duration("recoverAfter").orElse(Duration.ofMinutes(1)));
        case "node-pressure" -> new Action.NodePressure(step.text("node"), pressure(step),
            step.integer("pods").orElse(1), step.duration("recoverAfter").orElse(Duration.ofMinutes(1)));
        default -> new Action.NodeNotReady(step.text("node"), step.duration("unknownAfter")
            .orElse(Duration.ofSeconds(40)), step.duration("recoverAfter").orElse(Duration.ofMinutes(2)));
      };
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("scenario ")) {
        throw e;
      }
      throw step.error("action", e.getMessage());
    }
  }

  private static Action.Pressure pressure(Reader step) {
    String value = step.requiredText("pressure");
    return switch (value) {
      case "disk" -> Action.Pressure.DISK;
      case "pid" -> Action.Pressure.PID;
      default -> throw step.error("pressure", "expected disk or pid, got '" + value + "'");
    };
  }

  /** Parses a duration: a whole number and a unit, {@code ms}, {@code s}, {@code m} or {@code h}. */
  public static Duration duration(String text) {
    Matcher matcher = DURATION.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 2m or 1h, got '" + text + "'");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  /** Typed access to one mapping of the file, with errors naming the key's path. */
  private record Reader(String origin, String prefix, JsonNode node) {

    IllegalArgumentException error(String key, String problem) {
      return new IllegalArgumentException("scenario " + origin + ": " + prefix + key + ": " + problem);
    }

    void onlyKeys(Set<String> allowed) {
      if (!node.isObject()) {
        throw new IllegalArgumentException("scenario " + origin + ": " + prefix + " expected a mapping");
      }
      node.fieldNames().forEachRemaining(key -> {
        if (!allowed.contains(key)) {
          throw error(key, "unknown key; expected one of " + allowed.stream().sorted().toList());
        }
      });
    }

    Optional<String> text(String key) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isTextual()) {
        throw error(key, "expected a string, got " + value);
      }
      return Optional.of(value.asText());
    }

    String requiredText(String key) {
      return text(key).orElseThrow(() -> error(key, "required"));
    }

    Optional<Integer> integer(String key) {
      JsonNode value = node.get(key);
      if (value == null || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isInt()) {
        throw error(key, "expected a whole number, got " + value);
      }
      return Optional.of(value.asInt());
    }

    Optional<Duration> duration(String key) {
      try {
        return text(key).map(ScenarioFiles::duration);
      } catch (IllegalArgumentException e) {
        if (e.getMessage().startsWith("scenario ")) {
          throw e;
        }
        throw error(key, e.getMessage());
      }
    }

    Duration requiredDuration(String key) {
      return duration(key).orElseThrow(() -> error(key, "required"));
    }
  }
}
