package io.kubeobserve.devstack.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of a simulated cluster: from a start instant, scenario time runs {@code speed} times as
 * fast as wall time (speed 1 is real time, speed 60 plays a minute of cluster life per second).
 * Everything in the simulation that stamps or schedules (kubelet payloads, log lines, scenarios)
 * takes this clock, so a test can compress minutes into seconds without changing behaviour.
 *
 * <p>Time is measured with {@link System#nanoTime()}, so it is monotonic and never jumps when the
 * system clock is adjusted. Tasks at scenario times go through {@link #scheduler(String)}.
 */
public final class ScenarioClock extends Clock {

  private final Instant start;
  private final double speed;
  private final long wallStartNanos;
  private final ZoneId zone;

  private ScenarioClock(Instant start, double speed, long wallStartNanos, ZoneId zone) {
    this.start = start;
    this.speed = speed;
    this.wallStartNanos = wallStartNanos;
    this.zone = zone;
  }

  /** A clock that starts now (wall time) and runs at real-time pace. */
  public static ScenarioClock realTime() {
    return start(Instant.now(), 1.0);
  }

  /** A clock that starts now (wall time) and runs {@code speed} times as fast as wall time. */
  public static ScenarioClock startingNow(double speed) {
    return start(Instant.now(), speed);
  }

  /**
   * A clock that reads {@code start} at this moment and then runs {@code speed} times as fast as
   * wall time.
   *
   * @param speed a finite factor greater than 0
   */
  public static ScenarioClock start(Instant start, double speed) {
    requireNonNull(start, "start");
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be a finite number > 0, got " + speed);
    }
    return new ScenarioClock(start, speed, System.nanoTime(), ZoneOffset.UTC);
  }

  /** How many times faster than wall time this clock runs. */
  public double speed() {
    return speed;
  }

  /** The scenario instant this clock started at. */
  public Instant startInstant() {
    return start;
  }

  /** Scenario time elapsed since the start. */
  public Duration elapsed() {
    return toScenario(Duration.ofNanos(System.nanoTime() - wallStartNanos));
  }

  /** The wall-clock duration that {@code scenarioDuration} of scenario time takes (never negative). */
  public Duration toWall(Duration scenarioDuration) {
    requireNonNull(scenarioDuration, "scenarioDuration");
    if (scenarioDuration.isNegative()) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.round(nanos(scenarioDuration) / speed));
  }

  /** The scenario duration that passes while {@code wallDuration} of wall time passes. */
  public Duration toScenario(Duration wallDuration) {
    requireNonNull(wallDuration, "wallDuration");
    return Duration.ofNanos(Math.round(nanos(wallDuration) * speed));
  }

  /**
   * A scheduler whose delays and periods are in scenario time, running tasks on one daemon thread
   * named {@code threadName}. Close it to stop its tasks.
   */
  public ScenarioScheduler scheduler(String threadName) {
    return new ScenarioScheduler(this, threadName);
  }

  @Override
  public Instant instant() {
    return start.plus(elapsed());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new ScenarioClock(start, speed, wallStartNanos, requireNonNull(newZone, "zone"));
  }

  private static double nanos(Duration duration) {
    return duration.getSeconds() * 1e9 + duration.getNano();
  }

  @Override
  public String toString() {
    return "ScenarioClock[start=" + start + ", speed=" + speed + "]";
  }
}
