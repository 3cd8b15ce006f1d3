package io.kubeobserve.devstack.cluster.logs;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the CRI log files of simulated containers under a kubelet log tree: {@code
 * <root>/<namespace>_<pod>_<uid>/<container>/<restartCount>.log}, each entry carrying a {@link
 * LogLineMarker}. Containers {@link #add added} write at the configured rate (entries per second of
 * the injected clock's time, which may run faster than wall time) until {@link #stop stopped};
 * {@link #writeLine} writes a given line at once. Files rotate by the {@link RotationPolicy}; a new
 * restart count starts a new {@code <n>.log} and, as the kubelet's container GC keeps the logs of
 * the last dead instance only, deletes the files of older instances. Thread-safe.
 *
 * <p>Built by {@link #builder(Path)}; {@link #start()} starts the writing thread; {@link #close()}
 * stops it and closes the files (safe twice).
 */
public final class ContainerLogs implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ContainerLogs.class);
  private static final int REMEMBERED_LINES = 200;
  private static final int MAX_ENTRIES_PER_TICK = 20_000;

  private final Path root;
  private final Clock clock;
  private final double linesPerSecond;
  private final RotationPolicy rotation;
  private final int maxLineBytes;
  private final int longLineEvery;
  private final long seed;
  private final Duration tick;
  private final Map<String, Writer> writers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ContainerLogs(Builder builder) {
    this.root = builder.root;
    this.clock = builder.clock;
    this.linesPerSecond = builder.linesPerSecond;
    this.rotation = builder.rotation;
    this.maxLineBytes = builder.maxLineBytes;
    this.longLineEvery = builder.longLineEvery;
    this.seed = builder.seed;
    this.tick = builder.tick;
    this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "container-logs");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** A builder writing under {@code root} (the {@code logs.root} of an agent). */
  public static Builder builder(Path root) {
    return new Builder(root);
  }

  /** Starts writing at the configured rate. */
  public ContainerLogs start() {
    long period = Math.max(1, tick.toNanos());
    executor.scheduleWithFixedDelay(this::writeDue, period, period, TimeUnit.NANOSECONDS);
    return this;
  }

  public Path root() {
    return root;
  }

  /** Starts the log of a container instance with {@code restartCount}, writing at the configured rate. */
  public void add(ContainerLogRef container, int restartCount) {
    requireNonNull(container, "container");
    Writer writer = writers.computeIfAbsent(container.key(), key -> new Writer(container));
    synchronized (writer) {
      writer.open(restartCount);
      writer.resume(clock.instant());
    }
  }

  /** The container restarted: a new {@code <restartCount>.log}, rate writing continues. */
  public void restart(ContainerLogRef container, int restartCount) {
    add(container, restartCount);
  }

  /** Stops rate writing for a container (it terminated); its files stay. */
  public void stop(ContainerLogRef container) {
    Writer writer = writer(container);
    synchronized (writer) {
      writer.active = false;
    }
  }

  /** Stops writing and deletes nothing; forgets the container (its pod is gone). */
  public void remove(ContainerLogRef container) {
    Writer writer = writers.remove(container.key());
    if (writer != null) {
      synchronized (writer) {
        writer.active = false;
        writer.closeFile();
      }
    }
  }

  /**
   * Writes {@code text} as one entry of {@code container} now (with its marker appended) and returns
   * the entry's sequence number; for scenario lines such as the last words before an OOM kill.
   */
  public long writeLine(ContainerLogRef container, LogStream stream, String text) {
    Writer writer = writer(container);
    synchronized (writer) {
      return writer.write(new LogContentGenerator.Line(requireNonNull(stream, "stream"), requireNonNull(text, "text")),
          clock.instant());
    }
  }

  /** Writes a stack trace of the container's language (several entries) now; returns the last sequence number. */
  public long writeStackTrace(ContainerLogRef container) {
    Writer writer = writer(container);
    synchronized (writer) {
      long last = 0;
      Instant now = clock.instant();
      for (LogContentGenerator.Line line : writer.generator.stackTrace()) {
        last = writer.write(line, now);
      }
      return last;
    }
  }

  /**
   * The last {@code n} entries (content with marker, partial pieces joined) the container's current
   * instance wrote, oldest first: what {@code kubectl logs} shows last, and what a terminated
   * container printed before it died.
   */
  public List<String> lastLines(ContainerLogRef container, int n) {
    Writer writer = writer(container);
    synchronized (writer) {
      List<String> all = new ArrayList<>(writer.recent);
      return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }
  }

  /** The sequence number of the container's last entry (0 before the first). */
  public long lastSequence(ContainerLogRef container) {
    Writer writer = writer(container);
    synchronized (writer) {
      return writer.sequence;
    }
  }

  /** The container's current log file. */
  public Path currentFile(ContainerLogRef container) {
    Writer writer = writer(container);
    synchronized (writer) {
      return writer.file.path();
    }
  }

  /** The current instance's rotated files, oldest first. */
  public List<Path> rotatedFiles(ContainerLogRef container) {
    Writer writer = writer(container);
    synchronized (writer) {
      return writer.file.rotatedFiles();
    }
  }

  private Writer writer(ContainerLogRef container) {
    Writer writer = writers.get(requireNonNull(container, "container").key());
    if (writer == null) {
      throw new IllegalArgumentException("no log is written for " + container.key());
    }
    return writer;
  }

  private void writeDue() {
    Instant now = clock.instant();
    for (Writer writer : writers.values()) {
      try {
        synchronized (writer) {
          writer.writeDue(now);
        }
      } catch (RuntimeException e) {
        log.warn("cannot write the log of {}", writer.container.key(), e);
      }
    }
  }

  /** Stops writing and closes the files. Safe to call twice. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Writer writer : writers.values()) {
        synchronized (writer) {
          writer.closeFile();
        }
      }
    }
  }

  @Override
  public String toString() {
    return "ContainerLogs[root=" + root + ", linesPerSecond=" + linesPerSecond + ", rotation=" + rotation
        + ", maxLineBytes=" + maxLineBytes + "]";
  }

  /** The writing state of one container (guarded by its own monitor). */
  private final class Writer {
    final ContainerLogRef container;
    final LogContentGenerator generator;
    final Deque<String> recent = new ArrayDeque<>();
    ContainerLogFile file;
    long sequence;
    boolean active;
    Instant activeSince;
    long entriesSinceActive;

    Writer(ContainerLogRef container) {
      this.container = container;
      this.generator = new LogContentGenerator(container.key(), seed, maxLineBytes, longLineEvery);
    }

    void open(int restartCount) {
      if (file != null && file.restartCount() == restartCount) {
        return;
      }
      if (file != null) {
        file.close();
        deleteInstancesBefore(restartCount - 1);
      }
      file = new ContainerLogFile(container.directory(root), restartCount, rotation);
      recent.clear();
    }

    void resume(Instant now) {
      if (!active) {
        active = true;
        activeSince = now;
        entriesSinceActive = 0;
      }
    }

    void writeDue(Instant now) {
      if (!active || linesPerSecond <= 0) {
        return;
      }
      double seconds = Duration.between(activeSince, now).toNanos() / 1e9;
      long due = (long) Math.floor(seconds * linesPerSecond) - entriesSinceActive;
      for (long i = 0; i < Math.min(due, MAX_ENTRIES_PER_TICK); i++) {
        for (LogContentGenerator.Line line : generator.next(now)) {
          write(line, now);
        }
        entriesSinceActive++;
      }
      if (due > MAX_ENTRIES_PER_TICK) {
        entriesSinceActive += due - MAX_ENTRIES_PER_TICK;
        log.warn("log of {} fell behind by {} entries; skipped them", container.key(), due - MAX_ENTRIES_PER_TICK);
      }
    }

    long write(LogContentGenerator.Line line, Instant now) {
      long next = sequence + 1;
      String marker = LogLineMarker.format(container.key(), next);
      String content = line.text().contains(LogContentGenerator.MARKER_SLOT)
          ? line.text().replace(LogContentGenerator.MARKER_SLOT, marker)
          : line.text() + (line.text().isEmpty() ? "" : " ") + marker;
      file.append(CriFormat.encode(now, line.stream(), content, maxLineBytes), now);
      sequence = next;
      recent.addLast(content);
      while (recent.size() > REMEMBERED_LINES) {
        recent.removeFirst();
      }
      return next;
    }

    void deleteInstancesBefore(int keepFrom) {
      Path directory = container.directory(root);
      try (var files = java.nio.file.Files.list(directory)) {
        for (Path path : files.toList()) {
          String name = path.getFileName().toString();
          int dot = name.indexOf(".log");
          if (dot > 0 && name.substring(0, dot).chars().allMatch(Character::isDigit)
              && Integer.parseInt(name.substring(0, dot)) < keepFrom) {
            java.nio.file.Files.deleteIfExists(path);
          }
        }
      } catch (java.io.IOException e) {
        log.warn("cannot clean old logs of {}", container.key(), e);
      }
    }

    void closeFile() {
      if (file != null) {
        file.close();
      }
    }
  }

  /** Builds {@link ContainerLogs}. */
  public static final class Builder {
    private final Path root;
    private Clock clock = Clock.systemUTC();
    private double linesPerSecond = 2;
    private RotationPolicy rotation = RotationPolicy.kubeletDefault();
    private int maxLineBytes = CriFormat.DEFAULT_MAX_CONTENT_BYTES;
    private int longLineEvery = 500;
    private long seed = 42;
    private Duration tick = Duration.ofMillis(50);

    private Builder(Path root) {
      this.root = requireNonNull(root, "root");
    }

    /** The clock that stamps lines and paces the rate (a {@code ScenarioClock} may run faster than wall time). */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Entries per second of clock time per container (default 2); 0 writes only on demand. */
    public Builder linesPerSecond(double linesPerSecond) {
      if (!(linesPerSecond >= 0) || Double.isInfinite(linesPerSecond)) {
        throw new IllegalArgumentException("linesPerSecond must be >= 0, got " + linesPerSecond);
      }
      this.linesPerSecond = linesPerSecond;
      return this;
    }

    /** How files rotate (default: the kubelet's, 10 MiB and 4 rotated files, rename). */
    public Builder rotation(RotationPolicy rotation) {
      this.rotation = requireNonNull(rotation, "rotation");
      return this;
    }

    /** Content bytes per CRI line before an entry is split into {@code P} pieces (default 16 KiB, containerd's). */
    public Builder maxLineBytes(int maxLineBytes) {
      if (maxLineBytes < 16) {
        throw new IllegalArgumentException("maxLineBytes must be >= 16, got " + maxLineBytes);
      }
      this.maxLineBytes = maxLineBytes;
      return this;
    }

    /** Every n-th generated entry is longer than {@code maxLineBytes} (default 500; 0 never). */
    public Builder longLineEvery(int longLineEvery) {
      if (longLineEvery < 0) {
        throw new IllegalArgumentException("longLineEvery must be >= 0, got " + longLineEvery);
      }
      this.longLineEvery = longLineEvery;
      return this;
    }

    /** The seed of the generated content (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** How often (wall time) the writer thread writes the entries that are due (default 50 ms). */
    public Builder tick(Duration tick) {
      this.tick = requireNonNull(tick, "tick");
      return this;
    }

    /** The writer, not yet started. */
    public ContainerLogs build() {
      return new ContainerLogs(this);
    }
  }
}
