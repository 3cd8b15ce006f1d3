package io.kubeobserve.alerts.notify;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Waits, for {@link Delivery}'s backoff and rate limit; tests pass one that plays time faster. */
@FunctionalInterface
public interface Sleeper {

  /** The sleeper of production: the current thread sleeps. */
  Sleeper SYSTEM = duration -> {
    if (!duration.isNegative() && !duration.isZero()) {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }
  };

  /** Returns after {@code duration} (at once when it is zero or negative). */
  void sleep(Duration duration) throws InterruptedException;
}
