package io.kubeobserve.core.config;

/**
 * Thrown by a configuration record's constructor when one of its values is out of range. The
 * binder prefixes the key with the record's path, so records only name their own component.
 */
public final class InvalidValueException extends IllegalArgumentException {

  private final String key;

  public InvalidValueException(String key, String problem) {
    super(problem);
    this.key = key;
  }

  /** The record component (a key relative to the record) whose value is invalid. */
  public String key() {
    return key;
  }
}
