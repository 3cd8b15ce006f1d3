package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code ?watch=true}: a chunked {@code application/json} stream of
 * {@code {"type":...,"object":...}} lines, as the API server writes them.
 *
 * <ul>
 *   <li>{@code resourceVersion} unset or {@code "0"}: the current objects as ADDED events first
 *       (unless {@code sendInitialEvents=false}), then the changes;
 *   <li>{@code resourceVersion=N}: the changes after N; when N is older than the kept history, one
 *       ERROR event holding a 410 {@code Expired} Status, then the end of the stream;
 *   <li>{@code allowWatchBookmarks=true}: a BOOKMARK every bookmark interval, and after the
 *       initial events when {@code sendInitialEvents=true} (annotated
 *       {@code k8s.io/initial-events-end});
 *   <li>{@code timeoutSeconds}: the stream ends after it (default: 30 to 60 minutes, the API
 *       server's {@code --min-request-timeout} range).
 * </ul>
 */
final class WatchResponder {

  private static final Logger log = LoggerFactory.getLogger(WatchResponder.class);
  private static final long DEFAULT_TIMEOUT_SECONDS = 1800;

  private final ClusterStore store;
  private final Duration bookmarkInterval;

  WatchResponder(ClusterStore store, Duration bookmarkInterval) {
    this.store = store;
    this.bookmarkInterval = bookmarkInterval;
  }

  void serve(HttpExchange exchange, ApiPath path, Map<String, String> params) throws IOException {
    ResourceType type = path.type();
    ListQuery query = ListQuery.parse(type, path.namespace(), params);
    String resourceVersion = query.resourceVersion();
    boolean bookmarks = Exchanges.flag(params, "allowWatchBookmarks");
    String sendInitial = params.getOrDefault("sendInitialEvents", "");
    long timeoutSeconds = parseTimeout(params.get("timeoutSeconds"));
    Long from;
    if (resourceVersion.isEmpty() || resourceVersion.equals("0")) {
      from = sendInitial.equals("false") ? store.resourceVersion() : null;
    } else {
      try {
        from = Long.parseLong(resourceVersion);
      } catch (NumberFormatException e) {
        throw StatusException.badRequest("resourceVersion: Invalid value: \"" + resourceVersion + "\"");
      }
    }
    Predicate<JsonNode> filter = object -> query.labels().test(object) && query.fields().test(object);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache, private");
    Watcher watcher;
    try {
      watcher = store.watch(type.storage(), query.namespace(), filter, from);
    } catch (StatusException expired) {
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        write(out, "ERROR", expired.toStatus());
      }
      return;
    }
    exchange.sendResponseHeaders(200, 0);
    if (from == null && sendInitial.equals("true") && bookmarks) {
      watcher.requestBookmark(type.kind(), type.apiVersion(), true);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    long nextBookmark = System.nanoTime() + bookmarkInterval.toNanos();
    try (OutputStream out = exchange.getResponseBody()) {
      while (true) {
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          return;
        }
        if (bookmarks && now - nextBookmark >= 0) {
          watcher.requestBookmark(type.kind(), type.apiVersion(), false);
          nextBookmark = now + bookmarkInterval.toNanos();
        }
        long wait = Math.min(deadline - now, Math.max(1, nextBookmark - now));
        Watcher.Event event = watcher.poll(Math.min(wait, TimeUnit.SECONDS.toNanos(1)),
            TimeUnit.NANOSECONDS);
        if (event == null) {
          if (watcher.isClosed()) {
            return;
          }
          continue;
        }
        ObjectNode object = event.type().equals("BOOKMARK") ? event.object()
            : EventConversion.convertOut(type, event.object());
        write(out, event.type(), object);
      }
    } catch (IOException e) {
      log.debug("watch of {} ended by the client: {}", type, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      store.unwatch(watcher);
    }
  }

  private static void write(OutputStream out, String type, ObjectNode object) throws IOException {
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("type", type);
    event.set("object", object);
    byte[] line = Json.bytes(event);
    out.write(line);
    out.write('\n');
    out.flush();
  }

  private static long parseTimeout(String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT_TIMEOUT_SECONDS + (long) (Math.random() * DEFAULT_TIMEOUT_SECONDS);
    }
    try {
      return Math.max(0, Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("timeoutSeconds: Invalid value: \"" + text + "\"");
    }
  }
}
