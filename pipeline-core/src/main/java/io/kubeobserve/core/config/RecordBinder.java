package io.kubeobserve.core.config;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds the untyped tree to immutable records, strictly: unknown keys, wrong types and missing
 * values fail with the key path and what was expected.
 *
 * <p>Supported component types: nested records, {@code String}, {@code int}, {@code long},
 * {@code double}, {@code boolean}, {@link Duration} ({@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 7d}), {@link URI}, {@link Path}, enums (by lower-case name),
 * {@code List<T>} (a YAML list, or a comma-separated string), {@code Map<String, T>},
 * {@code Optional<T>} and {@link Secret}.
 */
final class RecordBinder {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private RecordBinder() {}

  static <T> T bind(Class<T> type, Map<String, Object> tree) {
    return type.cast(bindValue(type, tree, ""));
  }

  private static Object bindValue(Type type, Object node, String path) {
    Class<?> raw = KeyPath.rawClass(type);
    if (raw == Optional.class) {
      return node == null ? Optional.empty() : Optional.of(bindValue(KeyPath.elementType(type), node, path));
    }
    if (node == null) {
      throw new ConfigException(path, "missing required value (expected " + describe(type) + ")");
    }
    if (raw.isRecord()) {
      return bindRecord(raw, node, path);
    }
    if (raw == List.class) {
      return bindList(KeyPath.elementType(type), node, path);
    }
    if (raw == Map.class) {
      return bindMap(KeyPath.elementType(type), node, path);
    }
    if (node instanceof Map || node instanceof List) {
      throw new ConfigException(path, "expected " + describe(type) + ", got a " + (node instanceof Map ? "map" : "list"));
    }
    return bindScalar(raw, node, path);
  }

  private static Object bindRecord(Class<?> type, Object node, String path) {
    if (!(node instanceof Map<?, ?> map)) {
      throw new ConfigException(path, "expected a map of " + componentNames(type) + ", got '" + node + "'");
    }
    RecordComponent[] components = type.getRecordComponents();
    rejectUnknownKeys(type, map, path);
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      String key = component.getName();
      String keyPath = KeyPath.child(path, key);
      Type componentType = component.getGenericType();
      if (KeyPath.rawClass(KeyPath.unwrapOptional(componentType)) == Secret.class) {
        values[i] = bindSecret(componentType, map.get(key), map.get(key + "File"), keyPath);
      } else {
        values[i] = bindValue(componentType, map.get(key), keyPath);
      }
    }
    Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
      constructor.setAccessible(true);
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InvalidValueException invalid) {
        throw new ConfigException(KeyPath.child(path, invalid.key()), invalid.getMessage());
      }
      if (cause instanceof ConfigException config) {
        throw config;
      }
      throw new ConfigException(path, String.valueOf(cause.getMessage()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct configuration record " + type.getName(), e);
    }
  }

  private static void rejectUnknownKeys(Class<?> type, Map<?, ?> map, String path) {
    Set<String> known = new TreeSet<>();
    for (RecordComponent component : type.getRecordComponents()) {
      known.add(component.getName());
      if (KeyPath.rawClass(KeyPath.unwrapOptional(component.getGenericType())) == Secret.class) {
        known.add(component.getName() + "File");
      }
    }
    for (Object key : map.keySet()) {
      String name = String.valueOf(key);
      if (!known.contains(name)) {
        String suggestion = closest(name, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
        throw new ConfigException(KeyPath.child(path, name), "unknown key" + suggestion + "; known keys here: "
            + String.join(", ", known));
      }
    }
  }

  private static Object bindSecret(Type type, Object inline, Object file, String path) {
    boolean optional = KeyPath.rawClass(type) == Optional.class;
    if (inline != null && file != null) {
      throw new ConfigException(path, "set either " + lastKey(path) + " or " + lastKey(path) + "File, not both");
    }
    Secret secret = null;
    if (inline != null) {
      if (inline instanceof Map || inline instanceof List) {
        throw new ConfigException(path, "expected a secret string");
      }
      secret = Secret.of(String.valueOf(inline));
    } else if (file != null) {
      secret = Secret.of(readSecretFile(String.valueOf(file), path + "File"));
    }
    if (optional) {
      return Optional.ofNullable(secret);
    }
    if (secret == null) {
      throw new ConfigException(path, "missing required secret: set " + lastKey(path) + "File to a file holding it, "
          + "or the environment variable " + KeyPath.ENV_PREFIX + KeyPath.upperSnake(path.replace('.', '_')));
    }
    return secret;
  }

  private static String readSecretFile(String file, String path) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException | InvalidPathException e) {
      throw new ConfigException(path, "expected a readable file holding the secret, but '" + file + "' cannot be read");
    }
  }

  private static String lastKey(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  private static List<Object> bindList(Type elementType, Object node, String path) {
    List<?> items;
    if (node instanceof List<?> list) {
      items = list;
    } else if (node instanceof String s && !KeyPath.rawClass(elementType).isRecord()) {
      items = s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).toList();
    } else {
      throw new ConfigException(path, "expected a list of " + describe(elementType) + ", got '" + node + "'");
    }
    List<Object> bound = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      bound.add(bindValue(elementType, items.get(i), path + "[" + i + "]"));
    }
    return List.copyOf(bound);
  }

  private static Map<String, Object> bindMap(Type valueType, Object node, String path) {
    if (!(node instanceof Map<?, ?> map)) {
      throw new ConfigException(path, "expected a map of keys to " + describe(valueType) + ", got '" + node + "'");
    }
    Map<String, Object> bound = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      bound.put(key, bindValue(valueType, entry.getValue(), KeyPath.child(path, key)));
    }
    return java.util.Collections.unmodifiableMap(bound);
  }

  private static Object bindScalar(Class<?> type, Object node, String path) {
    String text = String.valueOf(node).trim();
    if (type == String.class) {
      return String.valueOf(node);
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      try {
        long value = node instanceof Number n && !(node instanceof Double) ? n.longValue() : Long.parseLong(text);
        if (type == int.class || type == Integer.class) {
          return Math.toIntExact(value);
        }
        return value;
      } catch (NumberFormatException | ArithmeticException e) {
        throw wrongType(path, describe(type), node);
      }
    }
    if (type == double.class || type == Double.class) {
      try {
        return node instanceof Number n ? n.doubleValue() : Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw wrongType(path, describe(type), node);
      }
    }
    if (type == boolean.class || type == Boolean.class) {
      if (node instanceof Boolean b) {
        return b;
      }
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(text);
      }
      throw wrongType(path, describe(type), node);
    }
    if (type == Duration.class) {
      return parseDuration(text, path);
    }
    if (type == URI.class) {
      try {
        URI uri = new URI(text);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw wrongType(path, describe(type), node);
        }
        return uri;
      } catch (URISyntaxException e) {
        throw wrongType(path, describe(type), node);
      }
    }
    if (type == Path.class) {
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw wrongType(path, describe(type), node);
      }
    }
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
          return constant;
        }
      }
      throw wrongType(path, describe(type), node);
    }
    throw new IllegalStateException("unsupported configuration type " + type.getName() + " at " + path);
  }

  static Duration parseDuration(String text, String path) {
    Matcher matcher = DURATION.matcher(text);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw wrongType(path, describe(Duration.class), text);
    }
  }

  private static ConfigException wrongType(String path, String expected, Object node) {
    return new ConfigException(path, "expected " + expected + ", got '" + node + "'");
  }

  static String describe(Type type) {
    Class<?> raw = KeyPath.rawClass(type);
    if (raw == String.class) {
      return "a string";
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return "an integer";
    }
    if (raw == double.class || raw == Double.class) {
      return "a number";
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return "true or false";
    }
    if (raw == Duration.class) {
      return "a duration such as 500ms, 30s, 5m, 2h or 7d";
    }
    if (raw == URI.class) {
      return "a URL such as https://host:port";
    }
    if (raw == Path.class) {
      return "a file path";
    }
    if (raw.isEnum()) {
      return "one of " + Arrays.stream(raw.getEnumConstants())
          .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList();
    }
    if (raw == List.class) {
      return "a list of " + describe(KeyPath.elementType(type));
    }
    if (raw == Map.class) {
      return "a map";
    }
    if (raw == Optional.class) {
      return describe(KeyPath.elementType(type));
    }
    if (raw.isRecord()) {
      return "a map of " + componentNames(raw);
    }
    return raw.getSimpleName();
  }

  private static String componentNames(Class<?> record) {
    return "{" + String.join(", ", Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toList()) + "}";
  }

  private static Optional<String> closest(String name, Set<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.max(2, name.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
