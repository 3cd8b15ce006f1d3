package io.kubeobserve.alerts.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on a random loopback port that records every request it accepts (Alertmanager's
 * webhook JSON, version 4, as the engine's {@code webhook} receivers send it); while {@link #down}
 * it answers 503 and only counts the attempts; while {@link #hold} it records a request at once but
 * answers only after the hold (or {@link #release}), so a sender can be stopped between its request
 * reaching the receiver and the answer.
 */
public final class Receiver implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<Request> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private volatile boolean down;
  private volatile Duration hold = Duration.ZERO;
  private volatile CountDownLatch released = new CountDownLatch(1);

  /** One accepted request: its JSON and when it arrived. */
  public record Request(JsonNode body, Instant at) {
    public String status() {
      return body.path("status").asText();
    }

    public JsonNode alert() {
      return body.path("alerts").path(0);
    }

    public String fingerprint() {
      return alert().path("fingerprint").asText();
    }

    public String alertname() {
      return alert().path("labels").path("alertname").asText();
    }

    public String label(String name) {
      return alert().path("labels").path(name).asText();
    }

    public String annotation(String name) {
      return alert().path("annotations").path(name).asText();
    }
  }

  private Receiver(HttpServer server) {
    this.server = server;
  }

  public static Receiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    Receiver receiver = new Receiver(server);
    server.createContext("/hook", receiver::handle);
    server.setExecutor(receiver.executor);
    server.start();
    return receiver;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  public void down(boolean value) {
    down = value;
  }

  /** Answers each request this long after recording it. */
  public void hold(Duration value) {
    released = new CountDownLatch(1);
    hold = value;
  }

  /** Answers the requests held now, and the next ones at once. */
  public void release() {
    hold = Duration.ZERO;
    released.countDown();
  }

  public List<Request> accepted() {
    return List.copyOf(accepted);
  }

  /** Accepted requests about one rule. */
  public List<Request> accepted(String alertname) {
    return accepted.stream().filter(request -> request.alertname().equals(alertname)).toList();
  }

  public int refused() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      if (down) {
        refused.incrementAndGet();
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      accepted.add(new Request(JSON.readTree(body), Instant.now()));
      if (!hold.isZero()) {
        released.await(hold.toMillis(), TimeUnit.MILLISECONDS);
      }
      exchange.sendResponseHeaders(200, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
