package io.kubeobserve.devstack.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.ExternalTools;
import io.kubeobserve.devstack.process.ChildProcess;
import io.kubeobserve.devstack.process.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Alertmanager (the Debian package's binary) on a random loopback port, clustering off, with
 * throw-away storage. The default configuration routes every alert to a receiver that notifies
 * nobody, so alerts can be posted and read back through the v2 API.
 */
public final class LocalAlertmanager implements AutoCloseable {

  /** An alert as {@code GET /api/v2/alerts} reports it. */
  public record Alert(
      Map<String, String> labels,
      Map<String, String> annotations,
      String state,
      Instant startsAt,
      Instant endsAt,
      String fingerprint,
      List<String> receivers) {}

  /** The configuration {@link #start()} uses: one receiver that notifies nobody. */
  public static final String DEFAULT_CONFIG =
      """
      route:
        receiver: devstack
        group_by: [alertname]
        group_wait: 1s
        group_interval: 1s
        repeat_interval: 1h
      receivers:
        - name: devstack
      """;

  private static final Logger log = LoggerFactory.getLogger(LocalAlertmanager.class);

  private final Path directory;
  private final ChildProcess process;
  private final int port;
  private final HttpApi api;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalAlertmanager(Path directory, GoServer.Started started) {
    this.directory = directory;
    this.process = started.process();
    this.port = started.port();
    this.api = started.api();
  }

  /**
   * Starts Alertmanager with {@link #DEFAULT_CONFIG} and waits until it is ready. Finds the binary
   * ({@code alertmanager} or Debian's {@code prometheus-alertmanager}) through {@link
   * ExternalTools#require(String)}, so a missing one skips the calling test (or fails it).
   */
  public static LocalAlertmanager start() {
    return start(DEFAULT_CONFIG);
  }

  /** Starts Alertmanager with the configuration {@code configYaml}, for example with a webhook. */
  public static LocalAlertmanager start(String configYaml) {
    Path binary = ExternalTools.require("alertmanager");
    Path directory = GoServer.workingDirectory("alertmanager");
    Path configFile = directory.resolve("alertmanager.yml");
    Path data = directory.resolve("data");
    try {
      Files.writeString(configFile, configYaml);
      Files.createDirectories(data);
      GoServer.Started started =
          GoServer.start(
              "alertmanager",
              binary,
              directory,
              port ->
                  List.of(
                      "--config.file=" + configFile,
                      "--storage.path=" + data,
                      "--web.listen-address=127.0.0.1:" + port,
                      "--cluster.listen-address=",
                      "--log.level=info"));
      return new LocalAlertmanager(directory, started);
    } catch (IOException e) {
      FileTrees.deleteQuietly(directory);
      throw new UncheckedIOException("cannot prepare Alertmanager in " + directory, e);
    } catch (RuntimeException e) {
      FileTrees.deleteQuietly(directory);
      throw e;
    }
  }

  /** The web and API endpoint, such as {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The file holding Alertmanager's log. */
  public Path logFile() {
    return process.logFile();
  }

  /** Every alert Alertmanager holds ({@code GET /api/v2/alerts}): active, silenced, inhibited. */
  public List<Alert> alerts() {
    List<Alert> alerts = new ArrayList<>();
    for (JsonNode alert : api.getJson("/api/v2/alerts")) {
      List<String> receivers = new ArrayList<>();
      alert.path("receivers").forEach(receiver -> receivers.add(receiver.path("name").asText()));
      alerts.add(
          new Alert(
              strings(alert.path("labels")),
              strings(alert.path("annotations")),
              alert.path("status").path("state").asText(),
              instant(alert.path("startsAt")),
              instant(alert.path("endsAt")),
              alert.path("fingerprint").asText(),
              List.copyOf(receivers)));
    }
    return List.copyOf(alerts);
  }

  /** Posts one firing alert ({@code POST /api/v2/alerts}), as Prometheus would. */
  public void postAlert(Map<String, String> labels, Map<String, String> annotations) {
    ArrayNode body = HttpApi.JSON.createArrayNode();
    ObjectNode alert = body.addObject();
    labels.forEach(alert.putObject("labels")::put);
    annotations.forEach(alert.putObject("annotations")::put);
    try {
      api.post("/api/v2/alerts", "application/json", HttpApi.JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an alert", e);
    }
  }

  /** Stops Alertmanager and deletes its data; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.close();
    FileTrees.deleteQuietly(directory);
    log.info("Alertmanager at {} stopped", url());
  }

  @Override
  public String toString() {
    return "LocalAlertmanager at " + url();
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> values = new LinkedHashMap<>();
    object.properties().forEach(field -> values.put(field.getKey(), field.getValue().asText()));
    return Collections.unmodifiableMap(values);
  }

  private static Instant instant(JsonNode text) {
    return text.isTextual() && !text.asText().isEmpty()
        ? OffsetDateTime.parse(text.asText()).toInstant()
        : null;
  }
}
