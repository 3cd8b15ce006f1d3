package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One watch connection's queue of events. The store offers every change (under its lock, in
 * resourceVersion order); the watcher keeps those that match its resource, namespace and
 * selectors, turning a MODIFIED into ADDED or DELETED when the object starts or stops matching,
 * as the API server's watch cache does. A watcher that falls more than {@code capacity} events
 * behind is terminated, as the cache terminates slow watchers.
 */
final class Watcher {

  /** What {@link #poll} hands the writer. */
  record Event(String type, ObjectNode object) {}

  private final ResourceType storage;
  private final String namespace;
  private final Predicate<JsonNode> filter;
  private final int capacity;
  private final Deque<Event> queue = new ArrayDeque<>();
  private long progress;
  private boolean closed;

  Watcher(ResourceType storage, String namespace, Predicate<JsonNode> filter, long progress,
      int capacity) {
    this.storage = storage;
    this.namespace = namespace;
    this.filter = filter;
    this.progress = progress;
    this.capacity = capacity;
  }

  /** Called by the store, in order, for every change. */
  synchronized void offer(Change change) {
    progress = change.resourceVersion();
    if (closed || change.resource() != storage) {
      return;
    }
    Event event = translate(change);
    if (event == null) {
      return;
    }
    if (queue.size() >= capacity) {
      closed = true;
      notifyAll();
      return;
    }
    queue.addLast(event);
    notifyAll();
  }

  /** Queues events that precede the live ones (initial state or replayed history). */
  synchronized void preload(Event event) {
    queue.addLast(event);
  }

  /** Queues a BOOKMARK at the resourceVersion every queued event leads up to. */
  synchronized void requestBookmark(String kind, String apiVersion, boolean initialEventsEnd) {
    ObjectNode object = Json.MAPPER.createObjectNode();
    object.put("kind", kind);
    object.put("apiVersion", apiVersion);
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(progress));
    if (initialEventsEnd) {
      metadata.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    queue.addLast(new Event("BOOKMARK", object));
    notifyAll();
  }

  /** The next event, waiting up to {@code timeout}; {@code null} on timeout or when closed and drained. */
  synchronized Event poll(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (queue.isEmpty() && !closed) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, remaining);
    }
    return queue.pollFirst();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  synchronized void close() {
    closed = true;
    notifyAll();
  }

  private Event translate(Change change) {
    if (!namespace.isEmpty() && !namespace.equals(Json.meta(change.object(), "namespace"))) {
      return null;
    }
    boolean now = filter.test(change.object());
    boolean before = change.previous() != null && filter.test(change.previous());
    return switch (change.type()) {
      case Change.ADDED -> now ? new Event(Change.ADDED, change.object()) : null;
      case Change.DELETED -> before || now ? new Event(Change.DELETED, change.object()) : null;
      default -> {
        if (now && before) {
          yield new Event(Change.MODIFIED, change.object());
        } else if (now) {
          yield new Event(Change.ADDED, change.object());
        } else if (before) {
          yield new Event(Change.DELETED, change.object());
        }
        yield null;
      }
    };
  }
}
