package io.kubeobserve.adapter.exposition;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link PrometheusRegistry} for Prometheus to scrape, rendered by the prometheus-metrics
 * library's writers: OpenMetrics when the {@code Accept} header asks for
 * {@code application/openmetrics-text}, the text format 0.0.4 otherwise; gzip (fastest level) when
 * {@code Accept-Encoding} allows it and gzip is enabled. Each scrape's render time (snapshot and
 * write) is recorded as {@code kube_observe.adapter.scrape.render}.
 */
public final class ExpositionServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExpositionServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusRegistry registry;
  private final boolean gzip;
  private final Timer renderTime;
  private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();
  private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
  private boolean closed;

  private ExpositionServer(HttpServer server, String path, PrometheusRegistry registry, boolean gzip,
      MeterRegistry meters) {
    this.server = server;
    this.registry = registry;
    this.gzip = gzip;
    this.renderTime = Timer.builder("kube_observe.adapter.scrape.render")
        .description("time to render one scrape of the exposition: snapshot of the store and writing it")
        .register(meters);
    this.executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "exposition-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext(path, this::scrape);
  }

  /** Starts serving {@code registry} on {@code address:port} at {@code path}. */
  public static ExpositionServer start(String address, int port, String path, PrometheusRegistry registry,
      boolean gzip, MeterRegistry meters) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
      ExpositionServer exposition = new ExpositionServer(server, path, registry, gzip, meters);
      server.start();
      LOG.info("exposition listening on {}:{}{}", address, exposition.port(), path);
      return exposition;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ":" + port + " (exposition.port): "
          + e.getMessage(), e);
    }
  }

  /** The port actually bound, useful when {@code exposition.port} is 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The writer for an {@code Accept} header: OpenMetrics when asked for, else the text format. */
  ExpositionFormatWriter writer(String accept) {
    return accept != null && openMetrics.accepts(accept) ? openMetrics : text;
  }

  private void scrape(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      ExpositionFormatWriter writer = writer(exchange.getRequestHeaders().getFirst("Accept"));
      String encoding = exchange.getRequestHeaders().getFirst("Accept-Encoding");
      boolean compress = gzip && encoding != null && encoding.contains("gzip");
      exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
      exchange.getResponseHeaders().set("Vary", "Accept, Accept-Encoding");
      if (compress) {
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      }
      if ("HEAD".equals(method)) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      long started = System.nanoTime();
      MetricSnapshots snapshots = registry.scrape();
      exchange.sendResponseHeaders(200, 0);
      OutputStream body = new BufferedOutputStream(exchange.getResponseBody(), 1 << 16);
      if (compress) {
        body = new GZIPOutputStream(body, 1 << 16) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        };
      }
      try (OutputStream out = body) {
        writer.write(out, snapshots);
      }
      renderTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    } catch (IOException | RuntimeException e) {
      LOG.warn("scrape of the exposition failed: {}", e.toString());
      throw e;
    }
  }

  /** Stops serving; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdownNow();
  }
}
