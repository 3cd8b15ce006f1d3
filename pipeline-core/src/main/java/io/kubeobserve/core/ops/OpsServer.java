package io.kubeobserve.core.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoint of every service: {@code /metrics} (Prometheus text or OpenMetrics, by
 * the {@code Accept} header), {@code /healthz} (liveness: the process is up and not stopping) and
 * {@code /readyz} (readiness: every {@link ReadinessCheck} is ready; 503 naming the ones that are
 * not).
 */
public final class OpsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry registry;
  private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();
  private final BooleanSupplier alive;
  private boolean closed;

  private OpsServer(HttpServer server, PrometheusMeterRegistry registry, BooleanSupplier alive) {
    this.server = server;
    this.registry = registry;
    this.alive = alive;
    this.executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "ops-http");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", this::metrics);
    server.createContext("/healthz", this::healthz);
    server.createContext("/readyz", this::readyz);
  }

  /**
   * Starts serving on {@code config.address():config.port()}.
   *
   * @param alive liveness: false once the service is stopping or has failed
   */
  public static OpsServer start(OpsConfig config, PrometheusMeterRegistry registry, BooleanSupplier alive) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(config.address(), config.port()), 16);
      OpsServer ops = new OpsServer(server, registry, alive);
      server.start();
      LOG.info("ops endpoint listening on {}:{} (/metrics, /healthz, /readyz)", config.address(), ops.port());
      return ops;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + config.address() + ":" + config.port()
          + " (ops.port): " + e.getMessage(), e);
    }
  }

  /** The port actually bound, useful when {@code ops.port} is 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  public void addReadinessCheck(ReadinessCheck check) {
    checks.add(check);
  }

  private void metrics(HttpExchange exchange) throws IOException {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    String contentType = accept != null && accept.contains("application/openmetrics-text")
        ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
        : "text/plain; version=0.0.4; charset=utf-8";
    respond(exchange, 200, contentType, registry.scrape(contentType));
  }

  private void healthz(HttpExchange exchange) throws IOException {
    boolean up = alive.getAsBoolean();
    respond(exchange, up ? 200 : 503, "text/plain; charset=utf-8", up ? "ok\n" : "stopping\n");
  }

  private void readyz(HttpExchange exchange) throws IOException {
    StringBuilder body = new StringBuilder();
    boolean ready = alive.getAsBoolean();
    if (!ready) {
      body.append("service: stopping\n");
    }
    for (ReadinessCheck check : checks) {
      ReadinessCheck.Status status = check.status();
      ready &= status.ready();
      body.append(check.name()).append(": ").append(status.ready() ? "ok" : "not ready")
          .append(" (").append(status.detail()).append(")\n");
    }
    respond(exchange, ready ? 200 : 503, "text/plain; charset=utf-8", body.toString());
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
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
