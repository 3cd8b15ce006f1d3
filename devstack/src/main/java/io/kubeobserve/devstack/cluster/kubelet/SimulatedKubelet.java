package io.kubeobserve.devstack.cluster.kubelet;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kubeobserve.devstack.tls.LocalCertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated kubelet: an HTTPS server on a random loopback port with a serving certificate from
 * the {@link LocalCertificateAuthority}, answering {@code /stats/summary}, {@code /metrics/cadvisor},
 * {@code /metrics/resource}, {@code /metrics} and {@code /healthz} from its node's {@link
 * KubeletState} and the pods the {@link PodSource} gives for the node, rendered at request time.
 *
 * <p>Authentication: every path needs {@code Authorization: Bearer <token>} with a token of the
 * configured set; anything else gets 401 {@code Unauthorized}. The real kubelet (with {@code
 * --authentication-token-webhook}) sends the token to the API server's TokenReview and then
 * authorizes the request with a SubjectAccessReview on {@code nodes/stats}, {@code nodes/metrics} or
 * {@code nodes/proxy}; a fixed token set stands in for both here (no 403 case). Only GET (and HEAD)
 * are served; other methods get 405.
 */
public final class SimulatedKubelet implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedKubelet.class);
  private static final String JSON = "application/json";

  private final KubeletState state;
  private final PodSource pods;
  private final Set<String> tokens;
  private final HttpsServer server;
  private final ExecutorService executor;
  private final StatsSummaryRenderer summary;
  private final CadvisorRenderer cadvisor = new CadvisorRenderer();
  private final ResourceMetricsRenderer resource = new ResourceMetricsRenderer();
  private final KubeletMetricsRenderer metrics = new KubeletMetricsRenderer();
  private final AtomicBoolean closed = new AtomicBoolean();

  private SimulatedKubelet(KubeletState state, PodSource pods, Set<String> tokens, LocalCertificateAuthority ca,
      KubeletFixtures.SummarySchema schema, int port) throws IOException {
    this.state = state;
    this.pods = pods;
    this.tokens = Set.copyOf(tokens);
    this.summary = new StatsSummaryRenderer(schema);
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext(state.nodeName())));
    this.executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "kubelet-" + state.nodeName());
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    route("/stats/summary", JSON, summary::renderJson);
    route("/metrics/cadvisor", PrometheusText.CONTENT_TYPE, cadvisor::render);
    route("/metrics/resource", PrometheusText.CONTENT_TYPE, resource::render);
    route("/metrics", PrometheusText.CONTENT_TYPE, metrics::render);
    route("/healthz", "text/plain; charset=utf-8", snapshot -> "ok");
  }

  /**
   * Starts a kubelet for {@code state}'s node.
   *
   * @param state the node's state (its name is the certificate's CN)
   * @param pods where the node's pods come from
   * @param tokens bearer tokens that are let in
   * @param ca the CA that issues the serving certificate
   * @param schema which recorded {@code /stats/summary} shape to serve
   */
  public static SimulatedKubelet start(KubeletState state, PodSource pods, Set<String> tokens,
      LocalCertificateAuthority ca, KubeletFixtures.SummarySchema schema) {
    return start(state, pods, tokens, ca, schema, 0);
  }

  /**
   * Starts a kubelet for {@code state}'s node on loopback port {@code port} (0: a random free one),
   * as a restarted kubelet comes back on its configured port.
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static SimulatedKubelet start(KubeletState state, PodSource pods, Set<String> tokens,
      LocalCertificateAuthority ca, KubeletFixtures.SummarySchema schema, int port) {
    requireNonNull(state, "state");
    requireNonNull(pods, "pods");
    requireNonNull(tokens, "tokens");
    requireNonNull(ca, "ca");
    requireNonNull(schema, "schema");
    try {
      SimulatedKubelet kubelet = new SimulatedKubelet(state, pods, tokens, ca, schema, port);
      kubelet.server.start();
      log.info("simulated kubelet of node {} listening on {}", state.nodeName(), kubelet.url());
      return kubelet;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the simulated kubelet of " + state.nodeName(), e);
    }
  }

  /** The base URL, {@code https://127.0.0.1:<port>} (the {@code kubelet.url} of an agent). */
  public URI url() {
    return URI.create("https://127.0.0.1:" + port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String nodeName() {
    return state.nodeName();
  }

  public KubeletState state() {
    return state;
  }

  /** What the endpoints would show now (for tests and the API server's {@code nodes/proxy}). */
  public KubeletSnapshot snapshot() {
    return state.snapshot(pods.podsOnNode(state.nodeName()));
  }

  private void route(String path, String contentType, Function<KubeletSnapshot, String> renderer) {
    server.createContext(path, exchange -> {
      try (exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")
            || !tokens.contains(authorization.substring("Bearer ".length()).trim())) {
          respond(exchange, 401, "text/plain; charset=utf-8", "Unauthorized");
          return;
        }
        if (!exchange.getRequestURI().getPath().equals(path)) {
          respond(exchange, 404, "text/plain; charset=utf-8", "404 page not found\n");
          return;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
          respond(exchange, 405, "text/plain; charset=utf-8", "405: Method Not Allowed");
          return;
        }
        respond(exchange, 200, contentType, renderer.apply(snapshot()));
      } catch (RuntimeException e) {
        log.warn("kubelet {} failed to serve {}", state.nodeName(), path, e);
      }
    });
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Stops the server. Safe to call twice. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "SimulatedKubelet[" + state.nodeName() + " at " + (closed.get() ? "closed" : url()) + "]";
  }
}
