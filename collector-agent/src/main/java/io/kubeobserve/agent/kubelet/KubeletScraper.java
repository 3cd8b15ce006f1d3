package io.kubeobserve.agent.kubelet;

import io.kubeobserve.agent.kubelet.KubeletScrapeException.Reason;
import io.kubeobserve.core.contract.OtlpCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes the node's kubelet endpoints on an interval with jitter, maps each response to OTLP
 * metrics ({@link StatsSummaryMapper} for {@code /stats/summary}, {@link ExpositionMapper} for the
 * Prometheus endpoints, text or protobuf by the response's {@code Content-Type}) and produces them
 * to the metrics topic keyed by node name, cut into records of at most {@code maxRecordBytes}.
 *
 * <p>A scrape that fails (time-out, status, size, TLS, malformed body) is counted in
 * {@code kube_observe.agent.kubelet.scrape.errors} by endpoint and reason, logged (at most once a
 * minute per endpoint and reason at warn level) and tried again at the next interval; the scraper
 * never stops. Endpoints are scraped on their own schedules, so a slow one does not delay the others
 * beyond its time-out. Lifecycle: {@link #start()}, then {@link #close()} (safe twice).
 */
public final class KubeletScraper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubeletScraper.class);
  private static final Duration WARN_EVERY = Duration.ofMinutes(1);

  static final String ACCEPT_TEXT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";
  static final String ACCEPT_PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
      + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1";
  static final String ACCEPT_JSON = "application/json";
  /** The endpoint of the kubelet's own metrics, filtered by {@code kubelet.metricsKeep}. */
  static final String KUBELET_METRICS = "/metrics";
  static final String STATS_SUMMARY = "/stats/summary";

  /**
   * What to scrape and how.
   *
   * @param endpoints the endpoint paths
   * @param interval the time between two scrapes of one endpoint
   * @param jitter each scrape moves by a random amount up to this, earlier or later
   * @param timeout a scrape's whole exchange
   * @param protobuf whether the protobuf exposition is asked for
   * @param metricsKeep families of {@code /metrics} kept
   * @param maxRecordBytes size of one produced record
   */
  public record Settings(List<String> endpoints, Duration interval, Duration jitter, Duration timeout, boolean protobuf,
      Pattern metricsKeep, int maxRecordBytes) {
    public Settings {
      endpoints = List.copyOf(endpoints);
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(jitter, "jitter");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(metricsKeep, "metricsKeep");
    }
  }

  /** The result of one scrape that succeeded. */
  public record Scrape(String endpoint, int series, int bytes, List<ExportMetricsServiceRequest> records) {}

  private final KubeletTransport transport;
  private final Settings settings;
  private final String clusterName;
  private final String nodeName;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final MeterRegistry registry;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Map<String, Instant> lastWarning = new ConcurrentHashMap<>();
  private final Counter sendFailures;
  private final AtomicInteger scrapes = new AtomicInteger();
  private final List<Consumer<Scrape>> listeners = new CopyOnWriteArrayList<>();

  public KubeletScraper(KubeletTransport transport, Settings settings, String clusterName, String nodeName,
      Producer<byte[], byte[]> producer, String topic, MeterRegistry registry, Clock clock) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Executors.newScheduledThreadPool(Math.min(2, Math.max(1, settings.endpoints().size())), runnable -> {
      Thread thread = new Thread(runnable, "kubelet-scraper");
      thread.setDaemon(true);
      return thread;
    });
    this.sendFailures = Counter.builder("kube_observe.agent.kubelet.send.failures")
        .description("metric records Kafka did not acknowledge (metrics are not retried: the next scrape follows)")
        .register(registry);
    for (String endpoint : settings.endpoints()) {
      for (Reason reason : Reason.values()) {
        errors(endpoint, reason); // registered up front, so that a rate over them starts at 0
      }
    }
  }

  /** Also hands every scrape that succeeded to {@code listener}, on the scraper's thread, once it is produced. */
  public void addListener(Consumer<Scrape> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Schedules every endpoint, the first scrape of each at a random point of the first interval. */
  public void start() {
    for (String endpoint : settings.endpoints()) {
      long first = ThreadLocalRandom.current().nextLong(Math.max(1, settings.interval().toMillis() / 4));
      schedule(endpoint, first);
    }
    LOG.info("scraping {} of the kubelet at {} every {} (jitter {}, time-out {}) into {}", settings.endpoints(),
        transport.describe(), settings.interval(), settings.jitter(), settings.timeout(), topic);
  }

  private void schedule(String endpoint, long delayMillis) {
    if (closed.get()) {
      return;
    }
    try {
      executor.schedule(() -> {
        long started = System.nanoTime();
        scrapeAndSend(endpoint);
        long jitter = settings.jitter().isZero() ? 0
            : ThreadLocalRandom.current().nextLong(-settings.jitter().toMillis(), settings.jitter().toMillis() + 1);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        schedule(endpoint, Math.max(0, settings.interval().toMillis() + jitter - elapsed));
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Scrapes {@code endpoint} once and produces the result; failures are counted, never thrown. */
  void scrapeAndSend(String endpoint) {
    try {
      Scrape scrape = scrape(endpoint);
      byte[] key = nodeName.getBytes(StandardCharsets.UTF_8);
      for (ExportMetricsServiceRequest part : scrape.records()) {
        producer.send(new ProducerRecord<>(topic, key, OtlpCodec.encodeMetrics(part)), (metadata, error) -> {
          if (error != null) {
            sendFailures.increment();
            warn(endpoint, "send", "Kafka did not take the metrics of {}: {}", endpoint, error.toString());
          }
        });
      }
      listeners.forEach(listener -> listener.accept(scrape));
    } catch (KubeletScrapeException e) {
      warn(endpoint, e.reason().tag(), "scraping the kubelet's {} failed ({}): {}", endpoint, e.reason().tag(),
          e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      errors(endpoint, Reason.MALFORMED).increment();
      warn(endpoint, "unexpected", "scraping the kubelet's {} failed unexpectedly: {}", endpoint, e.toString());
      LOG.debug("scrape failure", e);
    } finally {
      scrapes.incrementAndGet();
    }
  }

  /**
   * Scrapes {@code endpoint} once: fetch, decode and map, with its meters (duration, series, size,
   * errors by reason).
   *
   * @throws KubeletScrapeException when it fails (already counted)
   */
  public Scrape scrape(String endpoint) throws KubeletScrapeException, InterruptedException {
    Timer.Sample timing = Timer.start(registry);
    try {
      Instant now = clock.instant();
      String accept = endpoint.equals(STATS_SUMMARY) ? ACCEPT_JSON : settings.protobuf() ? ACCEPT_PROTOBUF : ACCEPT_TEXT;
      KubeletResponse response = transport.get(endpoint, accept, settings.timeout());
      ExportMetricsServiceRequest request;
      int series;
      if (endpoint.equals(STATS_SUMMARY)) {
        try {
          request = StatsSummaryMapper.toOtlp(response.body(), clusterName, now);
        } catch (StatsSummaryFormatException e) {
          throw new KubeletScrapeException(Reason.MALFORMED, endpoint + ": " + e.getMessage(), e);
        }
        series = pointCount(request);
      } else {
        Exposition exposition;
        try {
          exposition = ProtobufExposition.isProtobuf(response.contentType())
              ? ProtobufExposition.parse(response.body()) : ExpositionParser.parse(response.body());
          if (endpoint.equals(KUBELET_METRICS)) {
            exposition = new Exposition(exposition.families().stream()
                .filter(f -> settings.metricsKeep().matcher(f.name()).matches()).toList());
          }
          request = ExpositionMapper.toOtlp(exposition, ScrapeOrigin.kubelet(clusterName, nodeName, endpoint), now);
        } catch (ExpositionFormatException e) {
          throw new KubeletScrapeException(Reason.MALFORMED, endpoint + ": " + e.getMessage(), e);
        }
        series = exposition.sampleCount();
      }
      DistributionSummary.builder("kube_observe.agent.kubelet.scrape.series").tag("endpoint", endpoint)
          .description("samples (Prometheus endpoints) or data points (/stats/summary) per scrape")
          .register(registry).record(series);
      DistributionSummary.builder("kube_observe.agent.kubelet.scrape.size").tag("endpoint", endpoint).baseUnit("bytes")
          .description("response body size per scrape").register(registry).record(response.body().length);
      return new Scrape(endpoint, series, response.body().length, OtlpSplitter.split(request, settings.maxRecordBytes()));
    } catch (KubeletScrapeException e) {
      errors(endpoint, e.reason()).increment();
      throw e;
    } finally {
      timing.stop(Timer.builder("kube_observe.agent.kubelet.scrape.duration").tag("endpoint", endpoint)
          .description("time of one scrape: fetch, decode and map").register(registry));
    }
  }

  private Counter errors(String endpoint, Reason reason) {
    return Counter.builder("kube_observe.agent.kubelet.scrape.errors").tag("endpoint", endpoint)
        .tag("reason", reason.tag()).description("scrapes that produced nothing, by endpoint and reason")
        .register(registry);
  }

  private static int pointCount(ExportMetricsServiceRequest request) {
    int points = 0;
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          points += switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsCount();
            case SUM -> metric.getSum().getDataPointsCount();
            case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
            case SUMMARY -> metric.getSummary().getDataPointsCount();
            default -> 0;
          };
        }
      }
    }
    return points;
  }

  private void warn(String endpoint, String reason, String format, Object... arguments) {
    Instant now = Instant.now();
    Instant last = lastWarning.get(endpoint + " " + reason);
    if (last == null || Duration.between(last, now).compareTo(WARN_EVERY) >= 0) {
      lastWarning.put(endpoint + " " + reason, now);
      LOG.warn(format, arguments);
    } else {
      LOG.debug(format, arguments);
    }
  }

  /** Scrapes attempted so far (for tests and the heartbeat). */
  public int scrapesAttempted() {
    return scrapes.get();
  }

  /** Which transport this scraper uses. */
  public Optional<String> describe() {
    return Optional.of(transport.describe());
  }

  /** Stops scraping; a scrape in flight is abandoned. Safe to call twice. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      transport.close();
    }
  }

  @Override
  public String toString() {
    return "KubeletScraper[" + settings.endpoints() + " at " + transport.describe() + " every " + settings.interval()
        + "]";
  }
}
