package io.kubeobserve.alerts.notify;

import io.kubeobserve.devstack.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Time played {@code speed} times faster: each wait advances the clock by its full length while the
 * thread sleeps for a {@code speed}-th of it, so minutes of backoff pass in seconds and a receiver
 * really being down still refuses the attempts made meanwhile.
 */
final class FastTime implements Sleeper {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T06:00:00Z"));
  private final long speed;

  FastTime(long speed) {
    this.speed = speed;
  }

  MutableClock clock() {
    return clock;
  }

  /** How much simulated time has passed. */
  Duration elapsed() {
    return Duration.between(Instant.parse("2026-11-22T06:00:00Z"), clock.instant());
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    TimeUnit.NANOSECONDS.sleep(duration.toNanos() / speed);
    clock.advance(duration);
  }
}
