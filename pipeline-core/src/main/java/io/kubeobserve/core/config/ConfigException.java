package io.kubeobserve.core.config;

/**
 * A configuration that cannot be used: names the key path and what was expected, in one line.
 * Services exit with {@link #EXIT_CODE} when start-up fails with it.
 */
public final class ConfigException extends RuntimeException {

  /** The process exit code for a configuration error. */
  public static final int EXIT_CODE = 2;

  private final String keyPath;

  public ConfigException(String keyPath, String problem) {
    super(keyPath.isEmpty() ? problem : keyPath + ": " + problem);
    this.keyPath = keyPath;
  }

  /** The dotted key path the problem is about, or empty when it concerns the whole file. */
  public String keyPath() {
    return keyPath;
  }
}
