package io.kubeobserve.core.config;

import java.util.Objects;

/**
 * A password, token or webhook URL. Bound from the key itself (best set through an environment
 * variable) or from the key with the suffix {@code File}, naming a file that holds the value (a
 * mounted Kubernetes Secret). Its value is never printed: {@link #toString()} is redacted, and
 * configuration errors about it never repeat it.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(Objects.requireNonNull(value, "value"));
  }

  /** The secret value, for the one place that hands it to a client. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret secret && secret.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "<redacted>";
  }
}
