package io.kubeobserve.devstack.cluster.scenario;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One step of a scenario's timeline.
 *
 * @param at when the step starts, in scenario time after the scenario started
 * @param action what it does
 */
public record Step(Duration at, Action action) {

  public Step {
    requireNonNull(at, "at");
    requireNonNull(action, "action");
    if (at.isNegative()) {
      throw new IllegalArgumentException("at must not be negative, got " + at);
    }
  }
}
