package io.kubeobserve.devstack.cluster.api;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * How a {@link SimulatedApiServer} is set up. Immutable; start from {@link #defaults()}.
 *
 * @param historyWindow how many changes the store keeps for watches and consistent lists (etcd
 *     compaction): a watch from an older resourceVersion gets 410 Expired. Default 1000.
 * @param token the bearer token clients must send; default a random one
 * @param logsRoot where simulated nodes write CRI container logs, for {@code pods/log}; empty
 *     when the cluster has none
 * @param bookmarkInterval how often a watch with {@code allowWatchBookmarks=true} gets a BOOKMARK
 *     (the API server sends one about every minute); default 60 s
 * @param clock the clock for timestamps and ages
 */
public record SimulatedApiServerOptions(int historyWindow, String token, Optional<Path> logsRoot,
    Duration bookmarkInterval, Clock clock) {

  public static final int DEFAULT_HISTORY_WINDOW = 1000;

  public SimulatedApiServerOptions {
    if (historyWindow < 1) {
      throw new IllegalArgumentException("historyWindow must be at least 1, got " + historyWindow);
    }
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("token must not be blank");
    }
    Objects.requireNonNull(logsRoot, "logsRoot");
    Objects.requireNonNull(bookmarkInterval, "bookmarkInterval");
    if (bookmarkInterval.isNegative() || bookmarkInterval.isZero()) {
      throw new IllegalArgumentException("bookmarkInterval must be positive");
    }
    Objects.requireNonNull(clock, "clock");
  }

  /** The defaults: a window of 1000 changes, a random token, no logs root, 60 s bookmarks. */
  public static SimulatedApiServerOptions defaults() {
    return new SimulatedApiServerOptions(DEFAULT_HISTORY_WINDOW,
        "sim-" + UUID.randomUUID().toString().replace("-", ""), Optional.empty(),
        Duration.ofSeconds(60), Clock.systemUTC());
  }

  public SimulatedApiServerOptions withHistoryWindow(int changes) {
    return new SimulatedApiServerOptions(changes, token, logsRoot, bookmarkInterval, clock);
  }

  public SimulatedApiServerOptions withToken(String bearerToken) {
    return new SimulatedApiServerOptions(historyWindow, bearerToken, logsRoot, bookmarkInterval, clock);
  }

  public SimulatedApiServerOptions withLogsRoot(Path root) {
    return new SimulatedApiServerOptions(historyWindow, token, Optional.of(root), bookmarkInterval,
        clock);
  }

  public SimulatedApiServerOptions withBookmarkInterval(Duration interval) {
    return new SimulatedApiServerOptions(historyWindow, token, logsRoot, interval, clock);
  }

  public SimulatedApiServerOptions withClock(Clock newClock) {
    return new SimulatedApiServerOptions(historyWindow, token, logsRoot, bookmarkInterval, newClock);
  }

  /** Shows the configuration without the token. */
  @Override
  public String toString() {
    return "SimulatedApiServerOptions[historyWindow=" + historyWindow + ", logsRoot="
        + logsRoot.map(Path::toString).orElse("none") + ", bookmarkInterval=" + bookmarkInterval
        + "]";
  }
}
