package io.kubeobserve.router.watch;

import java.util.List;

/** Told about what the watcher did; for logs, tests and tools. Called from the watcher's threads. */
public interface WatchListener {

  /** A transaction holding these records' {@code log.record.uid}s was committed to Kafka. */
  default void committed(List<String> recordUids) {}

  /** This replica became the active watcher, its state loaded and caches synced. */
  default void leading(String identity) {}

  /** This replica stopped being the active watcher. */
  default void stoppedLeading(String identity) {}

  WatchListener NONE = new WatchListener() {};
}
