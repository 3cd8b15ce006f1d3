package io.kubeobserve.launcher;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C, SIGTERM or the end of {@code --duration} for a command that runs until stopped. On a
 * signal the JVM's shutdown hook waits (up to {@link #CLEANUP_LIMIT}) until the command has
 * closed what it started, so a stopped command still cleans up and says so.
 */
final class StopSignal implements AutoCloseable {

  private static final Duration CLEANUP_LIMIT = Duration.ofSeconds(30);

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch cleanedUp = new CountDownLatch(1);
  private final Thread hook;

  StopSignal(String name) {
    this.hook = new Thread(() -> {
      stop.countDown();
      try {
        cleanedUp.await(CLEANUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Waits for a signal, or for {@code seconds} when positive. */
  void await(long seconds) throws InterruptedException {
    if (seconds > 0) {
      stop.await(seconds, TimeUnit.SECONDS);
    } else {
      stop.await();
    }
    stop.countDown();
  }

  /** Whether the command was asked to stop. */
  boolean stopped() {
    return stop.getCount() == 0;
  }

  /** Call after everything the command started is closed: lets a pending signal end the JVM. */
  @Override
  public void close() {
    stop.countDown();
    cleanedUp.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running
    }
  }
}
