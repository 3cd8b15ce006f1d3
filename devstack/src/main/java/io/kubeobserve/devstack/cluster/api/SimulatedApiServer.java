package io.kubeobserve.devstack.cluster.api;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kubeobserve.devstack.tls.LocalCertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Kubernetes API server on a random loopback port: HTTPS with a certificate from its
 * own {@link LocalCertificateAuthority}, bearer token authentication, and the real REST protocol
 * over an in-memory {@link ClusterStore}. client-java and kubectl use it through
 * {@link #writeKubeconfig(Path)}; scenarios and simulated kubelets drive it through
 * {@link #store()}.
 *
 * <p>Lifecycle: {@link #start(SimulatedApiServerOptions)}, then {@link #close()} (safe twice).
 * Every request runs on its own thread (watches and followed logs hold theirs), so long streams
 * never block other calls.
 */
public final class SimulatedApiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SimulatedApiServer.class);
  private static final int MAX_THREADS = 256;

  private final SimulatedApiServerOptions options;
  private final LocalCertificateAuthority authority;
  private final ClusterStore store;
  private final HttpsServer server;
  private final ThreadPoolExecutor executor;
  private final Queue<String> requestLog = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String url;

  private SimulatedApiServer(SimulatedApiServerOptions options) throws IOException {
    this.options = options;
    this.authority = LocalCertificateAuthority.create("kube-observe-sim-ca");
    this.store = new ClusterStore(options.clock(), options.historyWindow());
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.setHttpsConfigurator(new HttpsConfigurator(authority.serverContext("kube-apiserver")));
    AtomicInteger threads = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(2, MAX_THREADS, 30, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "simulated-apiserver-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    server.setExecutor(executor);
    String address = "127.0.0.1:" + server.getAddress().getPort();
    this.url = "https://" + address;
    WatchResponder watches = new WatchResponder(store, options.bookmarkInterval());
    ApiHandler handler = new ApiHandler(options.token(), new Discovery(address),
        new ResourceHandler(store, watches, new TableConverter(options.clock())),
        new PodLogs(store, options.logsRoot(), options.clock(), closed),
        new NodeProxy(store, options.token()), requestLog);
    server.createContext("/", handler);
  }

  /** Starts a server with the {@linkplain SimulatedApiServerOptions#defaults() defaults}. */
  public static SimulatedApiServer start() {
    return start(SimulatedApiServerOptions.defaults());
  }

  /** Starts a server. */
  public static SimulatedApiServer start(SimulatedApiServerOptions options) {
    try {
      SimulatedApiServer apiServer = new SimulatedApiServer(options);
      apiServer.server.start();
      log.info("simulated API server at {} ({})", apiServer.url, options);
      return apiServer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the simulated API server", e);
    }
  }

  /** {@code https://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The bearer token clients must send. */
  public String token() {
    return options.token();
  }

  /** The objects of the cluster, to read and change as kubelets and controllers would. */
  public ClusterStore store() {
    return store;
  }

  /** The CA that issued the server certificate (its PEM is the kubeconfig's CA data). */
  public LocalCertificateAuthority certificateAuthority() {
    return authority;
  }

  public SimulatedApiServerOptions options() {
    return options;
  }

  /** Writes a kubeconfig for this server (CA data, URL, token, one context, current) to {@code file}. */
  public Path writeKubeconfig(Path file) {
    return Kubeconfig.write(file, kubeconfig());
  }

  /** The kubeconfig text {@link #writeKubeconfig(Path)} writes. */
  public String kubeconfig() {
    return Kubeconfig.render(url, authority.caPem(), options.token());
  }

  /**
   * The authenticated requests served so far, as {@code METHOD /path?query} lines, oldest first
   * (the first 10 000).
   */
  public List<String> requestLog() {
    return List.copyOf(requestLog);
  }

  /** How many authenticated requests so far match {@code line}. */
  public long countRequests(Predicate<String> line) {
    return requestLog.stream().filter(line).count();
  }

  /**
   * Ends every open watch stream, as clients see when an API server instance restarts; they
   * re-watch from the last resourceVersion they saw.
   */
  public void closeWatches() {
    store.closeWatchers();
  }

  /** Stops serving and ends open streams; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    store.close();
    server.stop(0);
    executor.shutdownNow();
    log.info("simulated API server at {} stopped", url);
  }

  @Override
  public String toString() {
    return "SimulatedApiServer[" + url + "]";
  }
}
