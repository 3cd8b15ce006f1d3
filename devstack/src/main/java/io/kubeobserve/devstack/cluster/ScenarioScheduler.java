package io.kubeobserve.devstack.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks at scenario times of a {@link ScenarioClock}: a {@link ScheduledExecutorService} on one
 * daemon thread whose delays are converted from scenario time to wall time. A task that throws is
 * logged; a periodic task keeps running after a failure of one run.
 *
 * <p>Created by {@link ScenarioClock#scheduler(String)}; {@link #close()} stops all tasks and is safe
 * to call twice.
 */
public final class ScenarioScheduler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ScenarioScheduler.class);

  private final ScenarioClock clock;
  private final ScheduledExecutorService executor;

  ScenarioScheduler(ScenarioClock clock, String threadName) {
    this.clock = requireNonNull(clock, "clock");
    requireNonNull(threadName, "threadName");
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** The clock whose time this scheduler follows. */
  public ScenarioClock clock() {
    return clock;
  }

  /** Runs {@code task} once after {@code scenarioDelay} of scenario time. */
  public ScheduledFuture<?> schedule(Runnable task, Duration scenarioDelay) {
    return executor.schedule(guarded(task), wallNanos(scenarioDelay), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code task} once when the clock reaches {@code scenarioTime} (at once if it is past). */
  public ScheduledFuture<?> scheduleAt(Runnable task, Instant scenarioTime) {
    return schedule(task, Duration.between(clock.instant(), requireNonNull(scenarioTime, "scenarioTime")));
  }

  /**
   * Runs {@code task} every {@code scenarioPeriod} of scenario time, the first time after {@code
   * initialDelay}. Runs do not overlap; a late run is not repeated to catch up.
   */
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration initialDelay, Duration scenarioPeriod) {
    long period = Math.max(1, wallNanos(scenarioPeriod));
    return executor.scheduleWithFixedDelay(guarded(task), wallNanos(initialDelay), period, TimeUnit.NANOSECONDS);
  }

  /**
   * Runs {@code task} every {@code wallPeriod} of wall time: for pollers that look at the clock
   * themselves (such as log writers that compute how many lines are due).
   */
  public ScheduledFuture<?> scheduleWallPeriodic(Runnable task, Duration wallPeriod) {
    long period = Math.max(1, requireNonNull(wallPeriod, "wallPeriod").toNanos());
    return executor.scheduleWithFixedDelay(guarded(task), 0, period, TimeUnit.NANOSECONDS);
  }

  private long wallNanos(Duration scenarioDuration) {
    return clock.toWall(requireNonNull(scenarioDuration, "scenarioDuration")).toNanos();
  }

  private static Runnable guarded(Runnable task) {
    requireNonNull(task, "task");
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        log.warn("scenario task {} failed", task, e);
      }
    };
  }

  /** Stops all tasks; a running task is interrupted. Safe to call twice. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "ScenarioScheduler[" + clock + "]";
  }
}
