package io.kubeobserve.devstack.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process of the local stack (Elasticsearch, Prometheus, Alertmanager) started as a child
 * of this JVM, with its output in a log file. {@link #close()} stops the whole process tree, and so
 * does a shutdown hook if the JVM exits first.
 */
public final class ChildProcess implements AutoCloseable {

  /** Decides whether a started process is ready to serve; may throw while it is not. */
  @FunctionalInterface
  public interface ReadinessProbe {
    /** {@code true} once the process serves requests. */
    boolean ready() throws Exception;
  }

  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration HOOK_STOP_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.shutdownHook = new Thread(() -> stopTree(HOOK_STOP_TIMEOUT), "devstack-stop-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code command} with stdin closed and stdout and stderr appended to {@code logFile}.
   *
   * @param name a short name for logs and messages, such as {@code elasticsearch}
   * @param command the program and its arguments
   * @param environment variables to set ({@code null} values remove inherited ones)
   * @param workingDirectory the directory the process starts in
   * @param logFile where the process output goes
   * @return the running process
   */
  public static ChildProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workingDirectory,
      Path logFile) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> env = builder.environment();
    environment.forEach(
        (key, value) -> {
          if (value == null) {
            env.remove(key);
          } else {
            env.put(key, value);
          }
        });
    try {
      Process process = builder.start();
      log.debug("started {} (pid {}): {}", name, process.pid(), command);
      return new ChildProcess(name, process, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /**
   * Polls {@code probe} until it answers {@code true}.
   *
   * @throws IllegalStateException with the tail of the log when the process exits first or the
   *     timeout passes
   */
  public void awaitReady(Duration timeout, ReadinessProbe probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastProblem = null;
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with code "
                + process.exitValue()
                + " before it was ready; the end of "
                + logFile
                + ":\n"
                + tail(60));
      }
      try {
        if (probe.ready()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      } catch (Exception e) {
        lastProblem = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            name
                + " not ready within "
                + timeout.toSeconds()
                + " s"
                + (lastProblem == null ? "" : " (last probe: " + lastProblem + ")")
                + "; the end of "
                + logFile
                + ":\n"
                + tail(60));
      }
      pause(POLL_INTERVAL);
    }
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The process id of the direct child. */
  public long pid() {
    return process.pid();
  }

  /** The file the process writes its output to. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the log contains {@code text}, ignoring case (reads the last 256 KiB). */
  public boolean logContains(String text) {
    return readTail(256 * 1024).toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
  }

  /** The last {@code lines} lines of the process output. */
  public String tail(int lines) {
    List<String> all = Arrays.asList(readTail(64 * 1024).split("\\R"));
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Stops the process and its descendants (gracefully, then forcibly); safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and the hook is running or has run
    }
    stopTree(STOP_TIMEOUT);
  }

  private void stopTree(Duration timeout) {
    List<ProcessHandle> tree =
        Stream.concat(Stream.of(process.toHandle()), process.descendants())
            .collect(Collectors.toCollection(ArrayList::new));
    if (tree.stream().noneMatch(ProcessHandle::isAlive)) {
      return;
    }
    log.debug("stopping {} (pids {})", name, tree.stream().map(ProcessHandle::pid).toList());
    tree.forEach(ProcessHandle::destroy);
    if (!awaitExit(tree, timeout)) {
      log.warn("{} did not stop within {} s; killing it", name, timeout.toSeconds());
      tree.forEach(ProcessHandle::destroyForcibly);
      if (!awaitExit(tree, Duration.ofSeconds(10))) {
        log.warn("{} is still running after SIGKILL", name);
      }
    }
    try {
      process.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean awaitExit(List<ProcessHandle> tree, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ProcessHandle handle : tree) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return tree.stream().noneMatch(ProcessHandle::isAlive);
      }
      try {
        handle.onExit().get(remaining, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return false;
      } catch (ExecutionException e) {
        log.debug("waiting for pid {} failed", handle.pid(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private String readTail(int maxBytes) {
    if (!Files.exists(logFile)) {
      return "";
    }
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = file.length();
      int size = (int) Math.min(length, maxBytes);
      byte[] bytes = new byte[size];
      file.seek(length - size);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** Sleeps between polls; restores the interrupt flag and fails when interrupted. */
  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
