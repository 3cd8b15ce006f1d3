package io.kubeobserve.alerts.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code ratePerSecond}. {@link #reserve()} takes
 * a token, possibly one not there yet, and says how long to wait for it, so callers on several
 * threads queue up fairly without holding a lock while they wait.
 */
final class TokenBucket {

  private final double ratePerSecond;
  private final int burst;
  private final Clock clock;
  private double tokens;
  private Instant refilledAt;

  TokenBucket(double ratePerSecond, int burst, Clock clock) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.refilledAt = clock.instant();
  }

  /** Takes a token; returns how long to wait before using it (zero when one was there). */
  synchronized Duration reserve() {
    Instant now = clock.instant();
    if (now.isAfter(refilledAt)) {
      double seconds = Duration.between(refilledAt, now).toNanos() / 1e9;
      tokens = Math.min(burst, tokens + seconds * ratePerSecond);
      refilledAt = now;
    }
    tokens -= 1;
    return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / ratePerSecond * 1e9));
  }
}
