package io.kubeobserve.devstack.cluster.kubelet;

import java.time.Duration;
import java.time.Instant;

/** A cumulative counter that grows at a settable rate per second of (scenario) time. Thread-safe. */
final class ClockedCounter {

  private double base;
  private double ratePerSecond;
  private Instant since;

  ClockedCounter(double initial, double ratePerSecond, Instant since) {
    this.base = initial;
    this.ratePerSecond = Math.max(0, ratePerSecond);
    this.since = since;
  }

  synchronized double valueAt(Instant now) {
    double seconds = Math.max(0, Duration.between(since, now).toNanos() / 1e9);
    return base + ratePerSecond * seconds;
  }

  synchronized double rate() {
    return ratePerSecond;
  }

  synchronized void setRate(double newRate, Instant now) {
    base = valueAt(now);
    since = later(since, now);
    ratePerSecond = Math.max(0, newRate);
  }

  synchronized void add(double delta, Instant now) {
    base = valueAt(now) + Math.max(0, delta);
    since = later(since, now);
  }

  synchronized void reset(Instant now) {
    base = 0;
    since = now;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
