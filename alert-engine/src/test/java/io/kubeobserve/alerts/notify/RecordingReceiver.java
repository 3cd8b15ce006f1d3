package io.kubeobserve.alerts.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubeobserve.devstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on a random loopback port that records every request and answers with the
 * responses scripted for it, then 200 {@code ok}. It can be stopped and started again on the same
 * port, like a receiver that is down for a while.
 */
final class RecordingReceiver implements AutoCloseable {

  /** A request as received, with the time it arrived. */
  record Request(String method, String path, String contentType, String body, long receivedNanos) {}

  /** A scripted answer. */
  record Response(int status, Map<String, String> headers, String body, long delayMillis) {
    static Response of(int status, String body) {
      return new Response(status, Map.of(), body, 0);
    }
  }

  private final int port;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Response> script = new ConcurrentLinkedQueue<>();
  private HttpServer server;

  RecordingReceiver() {
    this.port = Ports.freeLoopbackPort();
    start();
  }

  /** The URL of {@code path} on this receiver. */
  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Answers the next requests with {@code responses}, in order. */
  void script(Response... responses) {
    script.addAll(List.of(responses));
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  synchronized void start() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  synchronized void stop() {
    server.stop(0);
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().getFirst("Content-Type"), body, System.nanoTime()));
      Response response = script.poll();
      if (response == null) {
        response = Response.of(200, "ok");
      }
      if (response.delayMillis() > 0) {
        try {
          Thread.sleep(response.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      response.headers().forEach(exchange.getResponseHeaders()::add);
      byte[] answer = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(response.status(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        exchange.getResponseBody().write(answer);
      }
    }
  }
}
