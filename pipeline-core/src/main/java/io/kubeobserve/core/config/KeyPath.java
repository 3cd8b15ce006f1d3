package io.kubeobserve.core.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Key paths, as written in {@code --set} ({@code receivers[0].url}) and as environment variable
 * names ({@code KUBE_OBSERVE_RECEIVERS_0_URL}), resolved against the configuration record types
 * so that everything below a map key (such as {@code kafka.properties.sasl.mechanism}) stays one
 * key.
 */
final class KeyPath {

  static final String ENV_PREFIX = "KUBE_OBSERVE_";

  private KeyPath() {}

  /** Renders path segments as {@code a.b[0].c}. */
  static String render(List<Object> path) {
    StringBuilder out = new StringBuilder();
    for (Object segment : path) {
      if (segment instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(segment);
      }
    }
    return out.toString();
  }

  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** Parses a {@code --set} key such as {@code receivers[0].url}, or fails naming the key. */
  static List<Object> parseSetKey(String key, Type rootType) {
    List<Object> tokens = new ArrayList<>();
    int i = 0;
    while (i < key.length()) {
      char c = key.charAt(i);
      if (c == '[') {
        int close = key.indexOf(']', i);
        String digits = close < 0 ? "" : key.substring(i + 1, close);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
          throw badSet(key, "a list index such as [0]");
        }
        tokens.add(Integer.parseInt(digits));
        i = close + 1;
        if (i < key.length() && key.charAt(i) == '.') {
          i++;
          if (i == key.length()) {
            throw badSet(key, "a key after '.'");
          }
        }
      } else {
        int end = i;
        while (end < key.length() && key.charAt(end) != '.' && key.charAt(end) != '[') {
          end++;
        }
        if (end == i) {
          throw badSet(key, "a non-empty key between dots");
        }
        tokens.add(key.substring(i, end));
        i = end;
        if (i < key.length() && key.charAt(i) == '.') {
          i++;
          if (i == key.length()) {
            throw badSet(key, "a key after '.'");
          }
        }
      }
    }
    return joinMapKeys(tokens, rootType);
  }

  private static ConfigException badSet(String key, String expected) {
    return new ConfigException("--set " + key, "malformed key path: expected " + expected);
  }

  /** Below a {@code Map<String, ?>} component, the rest of the dotted path is one map key. */
  private static List<Object> joinMapKeys(List<Object> tokens, Type rootType) {
    List<Object> path = new ArrayList<>();
    Type type = rootType;
    for (int i = 0; i < tokens.size(); i++) {
      Object token = tokens.get(i);
      if (isMap(type) && token instanceof String) {
        StringBuilder mapKey = new StringBuilder((String) token);
        int j = i + 1;
        while (j < tokens.size() && tokens.get(j) instanceof String s) {
          mapKey.append('.').append(s);
          j++;
        }
        path.add(mapKey.toString());
        path.addAll(tokens.subList(j, tokens.size()));
        return path;
      }
      path.add(token);
      type = token instanceof Integer ? elementType(type) : componentType(type, (String) token);
    }
    return path;
  }

  /**
   * Resolves an environment variable name (without the prefix) to a key path, or empty when no
   * key of the schema has that name.
   */
  static Optional<List<Object>> fromEnvironmentName(String name, Class<?> rootType) {
    return resolveEnv(name, rootType, new ArrayList<>());
  }

  private static Optional<List<Object>> resolveEnv(String rest, Type type, List<Object> path) {
    Class<?> raw = rawClass(type);
    if (isMap(type)) {
      path.add(rest.toLowerCase(Locale.ROOT).replace('_', '.'));
      return Optional.of(path);
    }
    if (raw == List.class) {
      int underscore = rest.indexOf('_');
      String head = underscore < 0 ? rest : rest.substring(0, underscore);
      if (underscore > 0 && head.chars().allMatch(Character::isDigit)) {
        path.add(Integer.parseInt(head));
        return resolveEnv(rest.substring(underscore + 1), elementType(type), path);
      }
      return Optional.empty();
    }
    if (raw == Optional.class) {
      return resolveEnv(rest, elementType(type), path);
    }
    if (!raw.isRecord()) {
      return Optional.empty();
    }
    for (RecordComponent component : raw.getRecordComponents()) {
      Type componentType = component.getGenericType();
      boolean secret = rawClass(unwrapOptional(componentType)) == Secret.class;
      String snake = upperSnake(component.getName());
      if (rest.equals(snake)) {
        path.add(component.getName());
        return Optional.of(path);
      }
      if (secret && rest.equals(snake + "_FILE")) {
        path.add(component.getName() + "File");
        return Optional.of(path);
      }
      if (rest.startsWith(snake + "_")) {
        List<Object> deeper = new ArrayList<>(path);
        deeper.add(component.getName());
        Optional<List<Object>> found = resolveEnv(rest.substring(snake.length() + 1), componentType, deeper);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /** {@code bootstrapServers} becomes {@code BOOTSTRAP_SERVERS}. */
  static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  static Type elementType(Type type) {
    if (type instanceof ParameterizedType p) {
      Type[] args = p.getActualTypeArguments();
      return args[args.length - 1];
    }
    return Object.class;
  }

  static Type unwrapOptional(Type type) {
    return rawClass(type) == Optional.class ? elementType(type) : type;
  }

  private static boolean isMap(Type type) {
    return rawClass(unwrapOptional(type)) == Map.class;
  }

  private static Type componentType(Type type, String name) {
    Class<?> raw = rawClass(unwrapOptional(type));
    if (raw.isRecord()) {
      for (RecordComponent component : raw.getRecordComponents()) {
        if (component.getName().equals(name)) {
          return component.getGenericType();
        }
      }
    }
    return Object.class;
  }
}
