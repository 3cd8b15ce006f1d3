package io.kubeobserve.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Range checks for configuration records' compact constructors. */
public final class Validate {

  private Validate() {}

  /** A TCP port, where 0 asks for a random free one. */
  public static int port(String key, int value) {
    if (value < 0 || value > 65_535) {
      throw new InvalidValueException(key, "expected a port number 0..65535, got " + value);
    }
    return value;
  }

  public static int atLeast(String key, int min, int value) {
    if (value < min) {
      throw new InvalidValueException(key, "expected an integer >= " + min + ", got " + value);
    }
    return value;
  }

  public static Duration positive(String key, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new InvalidValueException(key, "expected a positive duration, got " + value);
    }
    return value;
  }

  public static Duration notNegative(String key, Duration value) {
    if (value.isNegative()) {
      throw new InvalidValueException(key, "expected a duration of 0 or more, got " + value);
    }
    return value;
  }

  public static String notBlank(String key, String value) {
    if (value.isBlank()) {
      throw new InvalidValueException(key, "expected a non-empty string");
    }
    return value;
  }

  /** An absolute {@code http://} or {@code https://} URL. */
  public static URI httpUrl(String key, URI value) {
    String scheme = value.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new InvalidValueException(key, "expected an http:// or https:// URL, got '" + value + "'");
    }
    return value;
  }

  /** A non-empty list of {@code host:port} addresses. */
  public static List<String> hostPorts(String key, List<String> values) {
    if (values.isEmpty()) {
      throw new InvalidValueException(key, "expected at least one host:port");
    }
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      int colon = value.lastIndexOf(':');
      boolean valid = colon > 0 && colon < value.length() - 1;
      if (valid) {
        try {
          int port = Integer.parseInt(value.substring(colon + 1));
          valid = port > 0 && port <= 65_535;
        } catch (NumberFormatException e) {
          valid = false;
        }
      }
      if (!valid) {
        throw new InvalidValueException(key + "[" + i + "]", "expected host:port, got '" + value + "'");
      }
    }
    return List.copyOf(values);
  }
}
