package io.kubeobserve.adapter.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The standard translation of OpenTelemetry metric and attribute names to Prometheus names, as
 * the OpenTelemetry specification ("Prometheus and OpenMetrics compatibility") and Prometheus'
 * {@code otlptranslator} define it with suffixes: invalid characters become {@code _} (runs of
 * them one), the unit is appended ({@code By} → {@code _bytes}, {@code s} → {@code _seconds},
 * {@code By/s} → {@code _bytes_per_second}; units in braces dropped) unless the name already has
 * it, monotonic counters end in {@code _total}, and gauges of unit {@code 1} end in {@code _ratio}.
 * So {@code k8s.node.memory.available} [By] → {@code k8s_node_memory_available_bytes},
 * {@code k8s.node.cpu.time} [s] → {@code k8s_node_cpu_time_seconds_total}.
 */
public final class PrometheusNames {

  /** How the metric is exposed, which decides its suffixes. */
  public enum Kind { GAUGE, MONOTONIC_COUNTER, NON_MONOTONIC_COUNTER, HISTOGRAM, SUMMARY }

  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
      Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
      Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
      Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
      Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
      Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
      Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
      Map.entry("1", ""), Map.entry("%", "percent"));
  private static final Map<String, String> PER_UNITS = Map.of(
      "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  private PrometheusNames() {}

  /** The Prometheus metric name of an OpenTelemetry metric. */
  public static String metricName(String name, String unit, Kind kind) {
    List<String> tokens = tokens(name);
    String[] units = unit.split("/", 2);
    String main = units[0].strip();
    if (!main.isEmpty() && !main.contains("{") && !main.contains("}")) {
      String suffix = cleanUnit(UNITS.getOrDefault(main, main));
      if (!suffix.isEmpty() && !tokens.contains(suffix)) {
        tokens.add(suffix);
      }
    }
    if (units.length > 1) {
      String per = units[1].strip();
      if (!per.isEmpty() && !per.contains("{") && !per.contains("}")) {
        String suffix = cleanUnit(PER_UNITS.getOrDefault(per, per));
        if (!suffix.isEmpty() && !tokens.contains(suffix)) {
          tokens.add("per");
          tokens.add(suffix);
        }
      }
    }
    if (kind == Kind.MONOTONIC_COUNTER) {
      tokens.removeIf("total"::equals);
      tokens.add("total");
    }
    if (unit.equals("1") && kind == Kind.GAUGE) {
      tokens.removeIf("ratio"::equals);
      tokens.add("ratio");
    }
    String joined = String.join("_", tokens);
    return !joined.isEmpty() && Character.isDigit(joined.charAt(0)) ? "_" + joined : joined;
  }

  /**
   * The Prometheus label name of an attribute: invalid characters become {@code _}, runs of
   * {@code _} one, and a name starting with a digit gets the prefix {@code key_}.
   */
  public static String labelName(String attribute) {
    StringBuilder name = new StringBuilder(attribute.length());
    for (int i = 0; i < attribute.length(); i++) {
      char c = attribute.charAt(i);
      boolean valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      char next = valid ? c : '_';
      if (next != '_' || name.length() == 0 || name.charAt(name.length() - 1) != '_') {
        name.append(next);
      }
    }
    if (name.length() > 0 && Character.isDigit(name.charAt(0))) {
      name.insert(0, "key_");
    }
    return name.toString();
  }

  /** Whether {@code name} is a Prometheus metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}). */
  public static boolean isValidMetricName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
      if (!valid) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code name} is a Prometheus label name that may be exposed ({@code [a-zA-Z_][a-zA-Z0-9_]*}, not {@code __*}). */
  public static boolean isValidLabelName(String name) {
    if (name.isEmpty() || name.startsWith("__")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!valid) {
        return false;
      }
    }
    return true;
  }

  private static List<String> tokens(String name) {
    List<String> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= name.length(); i++) {
      boolean valid = i < name.length() && isTokenChar(name.charAt(i));
      if (valid && start < 0) {
        start = i;
      } else if (!valid && start >= 0) {
        tokens.add(name.substring(start, i));
        start = -1;
      }
    }
    return tokens;
  }

  private static boolean isTokenChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ':';
  }

  /** A unit suffix made of name characters: others become {@code _}, leading and trailing ones trimmed. */
  private static String cleanUnit(String unit) {
    return String.join("_", tokens(unit));
  }
}
