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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server (the Debian package's binary) on a random loopback port, with a
 * generated configuration (global scrape and evaluation interval 1 s) and a throw-away TSDB. The
 * lifecycle API and the remote-write receiver are enabled; scrape jobs are added at run time by
 * rewriting the configuration and reloading it.
 */
public final class LocalPrometheus implements AutoCloseable {

  /** One sample of an instant query: the series' labels (with {@code __name__}) and its value. */
  public record Sample(Map<String, String> labels, double value, Instant timestamp) {}

  /** A scrape target as {@code /api/v1/targets} reports it. */
  public record Target(
      String job, String scrapeUrl, String health, String lastError, Map<String, String> labels) {

    /** Whether the last scrape succeeded. */
    public boolean up() {
      return "up".equals(health);
    }
  }

  private record ScrapeJob(String metricsPath, boolean honorLabels, List<String> targets) {}

  private static final Logger log = LoggerFactory.getLogger(LocalPrometheus.class);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  private final Path directory;
  private final Path configFile;
  private final ChildProcess process;
  private final int port;
  private final HttpApi api;
  private final Map<String, ScrapeJob> jobs = new LinkedHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private LocalPrometheus(Path directory, Path configFile, GoServer.Started started) {
    this.directory = directory;
    this.configFile = configFile;
    this.process = started.process();
    this.port = started.port();
    this.api = started.api();
  }

  /**
   * Starts Prometheus and waits until it is ready.
   *
   * <p>Finds the binary through {@link ExternalTools#require(String)}: when it is missing the
   * calling test is skipped (or fails when {@code kube-observe.requireExternal=true}).
   */
  public static LocalPrometheus start() {
    Path binary = ExternalTools.require("prometheus");
    Path directory = GoServer.workingDirectory("prometheus");
    Path configFile = directory.resolve("prometheus.yml");
    Path data = directory.resolve("data");
    try {
      Files.writeString(configFile, config(Map.of()));
      Files.createDirectories(data);
      GoServer.Started started =
          GoServer.start(
              "prometheus",
              binary,
              directory,
              port ->
                  List.of(
                      "--config.file=" + configFile,
                      "--storage.tsdb.path=" + data,
                      "--web.listen-address=127.0.0.1:" + port,
                      "--web.enable-lifecycle",
                      "--web.enable-remote-write-receiver",
                      "--log.level=info"));
      return new LocalPrometheus(directory, configFile, started);
    } catch (IOException e) {
      FileTrees.deleteQuietly(directory);
      throw new UncheckedIOException("cannot prepare Prometheus in " + directory, e);
    } catch (RuntimeException e) {
      FileTrees.deleteQuietly(directory);
      throw e;
    }
  }

  /** The web and API endpoint, such as {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The remote-write receiver endpoint ({@code /api/v1/write}). */
  public String remoteWriteUrl() {
    return url() + "/api/v1/write";
  }

  /** The file holding Prometheus' log. */
  public Path logFile() {
    return process.logFile();
  }

  /**
   * Scrapes {@code hostPort} every second as job {@code job}: writes the job into the configuration
   * and reloads it. A second call with the same job adds another target to it.
   *
   * @param job the job name (the {@code job} label unless {@code honorLabels} keeps the target's)
   * @param hostPort the target, such as {@code 127.0.0.1:8080}
   * @param metricsPath the path of the metrics, such as {@code /metrics}
   * @param honorLabels whether the target's {@code job} and {@code instance} labels win
   * @throws IllegalArgumentException when the job exists with another path or label honouring
   * @throws IllegalStateException when Prometheus rejects the configuration
   */
  public synchronized void addScrapeJob(
      String job, String hostPort, String metricsPath, boolean honorLabels) {
    requireText(job, "job");
    requireText(hostPort, "hostPort");
    if (metricsPath == null || !metricsPath.startsWith("/")) {
      throw new IllegalArgumentException("metricsPath must start with /: " + metricsPath);
    }
    Map<String, ScrapeJob> changed = new LinkedHashMap<>(jobs);
    ScrapeJob existing = changed.get(job);
    if (existing == null) {
      changed.put(job, new ScrapeJob(metricsPath, honorLabels, List.of(hostPort)));
    } else if (existing.metricsPath().equals(metricsPath)
        && existing.honorLabels() == honorLabels) {
      if (existing.targets().contains(hostPort)) {
        return;
      }
      List<String> targets = new ArrayList<>(existing.targets());
      targets.add(hostPort);
      changed.put(job, new ScrapeJob(metricsPath, honorLabels, List.copyOf(targets)));
    } else {
      throw new IllegalArgumentException(
          "scrape job "
              + job
              + " exists with path "
              + existing.metricsPath()
              + " and honor_labels "
              + existing.honorLabels());
    }
    apply(changed);
    log.info("Prometheus scrapes {}{} as job {}", hostPort, metricsPath, job);
  }

  /** Stops scraping the job (all of its targets); does nothing when there is no such job. */
  public synchronized void removeScrapeJob(String job) {
    if (!jobs.containsKey(job)) {
      return;
    }
    Map<String, ScrapeJob> changed = new LinkedHashMap<>(jobs);
    changed.remove(job);
    apply(changed);
  }

  /** Re-reads the configuration file ({@code POST /-/reload}). */
  public void reload() {
    api.post("/-/reload", "text/plain", "");
  }

  /**
   * Evaluates {@code promql} now ({@code /api/v1/query}).
   *
   * @return one sample per series of a vector result, or a single sample without labels for a
   *     scalar
   * @throws IllegalArgumentException when Prometheus rejects the query or it yields a range vector
   *     or a string
   */
  public List<Sample> query(String promql) {
    JsonNode data =
        api.prometheusData(
            "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    List<Sample> samples = new ArrayList<>();
    switch (type) {
      case "vector" -> {
        for (JsonNode series : result) {
          samples.add(sample(labels(series.path("metric")), series.path("value")));
        }
      }
      case "scalar" -> samples.add(sample(Map.of(), result));
      default ->
          throw new IllegalArgumentException(
              "query " + promql + " yields a " + type + ", not an instant vector or scalar");
    }
    return List.copyOf(samples);
  }

  /** The active scrape targets. */
  public List<Target> targets() {
    JsonNode data = api.prometheusData("/api/v1/targets?state=active");
    List<Target> targets = new ArrayList<>();
    for (JsonNode target : data.path("activeTargets")) {
      targets.add(
          new Target(
              target.path("scrapePool").asText(),
              target.path("scrapeUrl").asText(),
              target.path("health").asText(),
              target.path("lastError").asText(),
              labels(target.path("labels"))));
    }
    return List.copyOf(targets);
  }

  /**
   * Waits until a target of {@code job} has been scraped successfully.
   *
   * @return that target
   * @throws IllegalStateException when that does not happen within {@code timeout}
   */
  public Target awaitTargetUp(String job, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Target> seen = List.of();
    while (true) {
      seen = targets().stream().filter(target -> target.job().equals(job)).toList();
      Optional<Target> up = seen.stream().filter(Target::up).findFirst();
      if (up.isPresent()) {
        return up.get();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "no target of job "
                + job
                + " up within "
                + timeout.toSeconds()
                + " s; targets: "
                + seen);
      }
      pause();
    }
  }

  /** Stops Prometheus and deletes its data; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.close();
    FileTrees.deleteQuietly(directory);
    log.info("Prometheus at {} stopped", url());
  }

  @Override
  public String toString() {
    return "LocalPrometheus at " + url();
  }

  private void apply(Map<String, ScrapeJob> changed) {
    try {
      Files.writeString(configFile, config(changed));
      reload();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + configFile, e);
    } catch (RuntimeException e) {
      try {
        Files.writeString(configFile, config(jobs));
      } catch (IOException restore) {
        e.addSuppressed(restore);
      }
      throw e;
    }
    jobs.clear();
    jobs.putAll(changed);
  }

  /** The configuration as JSON, which is YAML too. */
  private static String config(Map<String, ScrapeJob> jobs) {
    ObjectNode config = HttpApi.JSON.createObjectNode();
    config
        .putObject("global")
        .put("scrape_interval", "1s")
        .put("scrape_timeout", "1s")
        .put("evaluation_interval", "1s");
    ArrayNode scrapeConfigs = config.putArray("scrape_configs");
    jobs.forEach(
        (name, job) -> {
          ObjectNode scrape =
              scrapeConfigs
                  .addObject()
                  .put("job_name", name)
                  .put("metrics_path", job.metricsPath())
                  .put("honor_labels", job.honorLabels());
          ArrayNode targets = scrape.putArray("static_configs").addObject().putArray("targets");
          job.targets().forEach(targets::add);
        });
    try {
      return HttpApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the Prometheus configuration", e);
    }
  }

  private static Sample sample(Map<String, String> labels, JsonNode value) {
    Instant timestamp = Instant.ofEpochMilli(Math.round(value.path(0).asDouble() * 1000));
    return new Sample(labels, parseValue(value.path(1).asText()), timestamp);
  }

  /**
   * Parses a sample value as Prometheus writes it ({@code NaN}, {@code +Inf}, {@code -Inf} too).
   */
  static double parseValue(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  private static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new LinkedHashMap<>();
    object.properties().forEach(field -> labels.put(field.getKey(), field.getValue().asText()));
    return Collections.unmodifiableMap(labels);
  }

  private static void requireText(String value, String name) {
    if (Objects.requireNonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " is blank");
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
