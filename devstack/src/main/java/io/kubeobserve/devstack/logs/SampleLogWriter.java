package io.kubeobserve.devstack.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes CRI container log files for a few made-up pods under a kubelet-style log tree
 * ({@code <root>/<namespace>_<pod>_<uid>/<container>/0.log}), one line per pod per tick: access
 * log lines on stdout, now and then a Java stack trace on stderr. Enough for the local stack's
 * demo to have something to ship; the simulated cluster writes the realistic logs.
 */
public final class SampleLogWriter implements AutoCloseable {

  private static final DateTimeFormatter CRI_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
      .withZone(java.time.ZoneOffset.UTC);

  /** A pod of the sample, and the file its one container writes. */
  public record SamplePod(String namespace, String name, String uid, String container, Path file) {}

  private final List<SamplePod> pods;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final AtomicLong tick = new AtomicLong();

  private SampleLogWriter(Path root, Clock clock) {
    this.clock = clock;
    this.pods = List.of(
        pod(root, "shop", "web-5f7c9d8b6-k2x9q", "web"),
        pod(root, "payments", "api-7d4b9c-x2x7k", "api"),
        pod(root, "kube-system", "coredns-6f6b679f8f-qwz7m", "coredns"));
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "sample-log-writer");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts writing a line per pod every {@code interval}. */
  public static SampleLogWriter start(Path root, Duration interval) {
    SampleLogWriter writer = new SampleLogWriter(root, Clock.systemUTC());
    writer.executor.scheduleAtFixedRate(writer::writeTick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return writer;
  }

  public List<SamplePod> pods() {
    return pods;
  }

  private static SamplePod pod(Path root, String namespace, String name, String container) {
    String uid = UUID.nameUUIDFromBytes((namespace + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
    Path file = root.resolve(namespace + "_" + name + "_" + uid).resolve(container).resolve("0.log");
    return new SamplePod(namespace, name, uid, container, file);
  }

  private void writeTick() {
    long n = tick.incrementAndGet();
    String now = CRI_TIME.format(clock.instant());
    for (SamplePod pod : pods) {
      StringBuilder lines = new StringBuilder();
      if (pod.container().equals("api") && n % 10 == 0) {
        lines.append(now).append(" stderr F java.lang.IllegalStateException: payment provider timed out\n")
            .append(now).append(" stderr F \tat com.example.payments.Gateway.charge(Gateway.java:42)\n");
      } else {
        lines.append(now).append(" stdout F ").append(pod.container()).append(": GET /api/items/").append(n % 97)
            .append(" 200 ").append(3 + n % 40).append("ms\n");
      }
      append(pod.file(), lines.toString());
    }
  }

  private static void append(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
