package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET .../pods/<name>/log}: reads the CRI log file the simulated node writes for the
 * container, {@code <logsRoot>/<namespace>_<pod>_<uid>/<container>/<restartCount>.log}, as the
 * kubelet's log reader does: partial lines joined, the message printed (with
 * {@code timestamps=true}, the entry's RFC 3339 time and a space first), {@code tailLines},
 * {@code sinceSeconds}/{@code sinceTime}, {@code limitBytes}, {@code previous} (the file of the
 * restart before) and {@code follow} (keeps streaming appended lines across rename rotation until
 * the client goes, or the pod or that container instance ends).
 */
final class PodLogs {

  private static final Logger log = LoggerFactory.getLogger(PodLogs.class);
  private static final Duration FOLLOW_POLL = Duration.ofMillis(100);
  private static final Duration STATUS_CHECK = Duration.ofMillis(500);

  private final ClusterStore store;
  private final Optional<Path> logsRoot;
  private final Clock clock;
  private final AtomicBoolean closed;

  PodLogs(ClusterStore store, Optional<Path> logsRoot, Clock clock, AtomicBoolean closed) {
    this.store = store;
    this.logsRoot = logsRoot;
    this.clock = clock;
    this.closed = closed;
  }

  void serve(HttpExchange exchange, ApiPath path) throws IOException {
    if (!exchange.getRequestMethod().equals("GET")) {
      throw StatusException.methodNotAllowed(exchange.getRequestMethod());
    }
    Map<String, String> query = Exchanges.query(exchange);
    ObjectNode pod = store.get(ResourceType.PODS, path.namespace(), path.name());
    String podName = path.name();
    String container = container(pod, query.getOrDefault("container", ""));
    JsonNode status = containerStatus(pod, container);
    boolean previous = Exchanges.flag(query, "previous");
    long restartCount = status == null ? -1 : status.path("restartCount").asLong(0);
    if (status == null || (!previous && restartCount == 0 && status.path("state").has("waiting")
        && !status.path("lastState").has("terminated"))) {
      String reason = status == null ? "ContainerCreating"
          : status.path("state").path("waiting").path("reason").asText("ContainerCreating");
      throw StatusException.badRequest("container \"" + container + "\" in pod \"" + podName
          + "\" is waiting to start: " + reason);
    }
    long restart = previous ? restartCount - 1 : restartCount;
    if (restart < 0) {
      throw StatusException.badRequest("previous terminated container \"" + container
          + "\" in pod \"" + podName + "\" not found");
    }
    if (logsRoot.isEmpty()) {
      throw StatusException.badRequest("the simulated cluster has no logs root; container \""
          + container + "\" in pod \"" + podName + "\" has no log file");
    }
    Path file = logsRoot.get()
        .resolve(path.namespace() + "_" + podName + "_" + Json.meta(pod, "uid"))
        .resolve(container).resolve(restart + ".log");
    boolean timestamps = Exchanges.flag(query, "timestamps");
    long tailLines = number(query, "tailLines", -1);
    long limitBytes = number(query, "limitBytes", -1);
    Instant since = since(query);
    boolean follow = Exchanges.flag(query, "follow") && !previous;

    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(200, 0);
    long[] written = {0};
    try (CriLogReader reader = new CriLogReader(file);
        OutputStream out = exchange.getResponseBody()) {
      List<CriLogEntry> initial = new ArrayList<>(reader.read());
      initial.removeIf(entry -> since != null && entry.time().isBefore(since));
      if (tailLines >= 0 && initial.size() > tailLines) {
        initial = initial.subList(initial.size() - (int) tailLines, initial.size());
      }
      if (!write(out, initial, timestamps, limitBytes, written) || !follow) {
        return;
      }
      String uid = Json.meta(pod, "uid");
      long nextCheck = System.nanoTime() + STATUS_CHECK.toNanos();
      while (!closed.get()) {
        List<CriLogEntry> entries = reader.read();
        entries.removeIf(entry -> since != null && entry.time().isBefore(since));
        if (!write(out, entries, timestamps, limitBytes, written)) {
          return;
        }
        if (entries.isEmpty()) {
          if (System.nanoTime() - nextCheck >= 0) {
            nextCheck = System.nanoTime() + STATUS_CHECK.toNanos();
            if (!stillRunning(path, uid, container, restart)) {
              write(out, reader.read(), timestamps, limitBytes, written);
              return;
            }
          }
          pause(FOLLOW_POLL);
        }
      }
    } catch (IOException e) {
      log.debug("log stream of {}/{} ended by the client: {}", podName, container, e.toString());
    }
  }

  private boolean stillRunning(ApiPath path, String uid, String container, long restart) {
    Optional<ObjectNode> pod = store.find(ResourceType.PODS, path.namespace(), path.name());
    if (pod.isEmpty() || !uid.equals(Json.meta(pod.get(), "uid"))) {
      return false;
    }
    JsonNode status = containerStatus(pod.get(), container);
    return status != null && status.path("restartCount").asLong(0) == restart
        && !status.path("state").has("terminated");
  }

  private static boolean write(OutputStream out, List<CriLogEntry> entries, boolean timestamps,
      long limitBytes, long[] written) throws IOException {
    if (entries.isEmpty()) {
      return true;
    }
    for (CriLogEntry entry : entries) {
      byte[] bytes = ((timestamps ? entry.timestamp() + " " : "") + entry.message() + "\n")
          .getBytes(StandardCharsets.UTF_8);
      if (limitBytes >= 0 && written[0] + bytes.length > limitBytes) {
        out.write(bytes, 0, (int) (limitBytes - written[0]));
        out.flush();
        return false;
      }
      out.write(bytes);
      written[0] += bytes.length;
    }
    out.flush();
    return true;
  }

  private static String container(ObjectNode pod, String requested) {
    List<String> names = new ArrayList<>();
    for (String field : List.of("containers", "initContainers", "ephemeralContainers")) {
      pod.path("spec").path(field).forEach(c -> names.add(c.path("name").asText()));
    }
    String podName = Json.meta(pod, "name");
    if (requested.isEmpty()) {
      JsonNode containers = pod.path("spec").path("containers");
      if (containers.size() == 1) {
        return containers.get(0).path("name").asText();
      }
      throw StatusException.badRequest("a container name must be specified for pod " + podName
          + ", choose one of: " + names);
    }
    if (!names.contains(requested)) {
      throw StatusException.badRequest("container " + requested + " is not valid for pod " + podName);
    }
    return requested;
  }

  private static JsonNode containerStatus(ObjectNode pod, String container) {
    for (String field : List.of("containerStatuses", "initContainerStatuses",
        "ephemeralContainerStatuses")) {
      for (JsonNode status : pod.path("status").path(field)) {
        if (container.equals(status.path("name").asText())) {
          return status;
        }
      }
    }
    return null;
  }

  private Instant since(Map<String, String> query) {
    String sinceTime = query.get("sinceTime");
    if (sinceTime != null && !sinceTime.isEmpty()) {
      try {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(sinceTime, Instant::from);
      } catch (DateTimeParseException e) {
        throw StatusException.badRequest("sinceTime: Invalid value: \"" + sinceTime + "\"");
      }
    }
    long sinceSeconds = number(query, "sinceSeconds", -1);
    return sinceSeconds > 0 ? clock.instant().minusSeconds(sinceSeconds) : null;
  }

  private static long number(Map<String, String> query, String name, long absent) {
    String text = query.get(name);
    if (text == null || text.isEmpty()) {
      return absent;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw StatusException.badRequest(name + ": Invalid value: \"" + text + "\"");
    }
  }

  /** Waits between polls of a followed file; an interrupt ends the stream. */
  private static void pause(Duration duration) throws IOException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while following a log", e);
    }
  }
}
