package io.kubeobserve.core.ops;

/** One dependency of a service's readiness, such as Kafka; {@code /readyz} is ready when all are. */
public interface ReadinessCheck {

  /** Short name shown on {@code /readyz}, such as {@code kafka}. */
  String name();

  /** The last known state; must return at once (probe in the background, not here). */
  Status status();

  /** Whether the dependency is usable, and a one-line detail for people. */
  record Status(boolean ready, String detail) {
    public static Status ready(String detail) {
      return new Status(true, detail);
    }

    public static Status notReady(String detail) {
      return new Status(false, detail);
    }
  }
}
