package io.kubeobserve.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * The demo's chat room: a webhook receiver on a free loopback port that takes the alert-engine's
 * notifications (Alertmanager's webhook format) and prints one line per alert, as a chat would show
 * it arriving.
 */
final class DemoChat implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final PrintWriter out;

  private DemoChat(PrintWriter out) throws IOException {
    this.out = out;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::receive);
    server.start();
  }

  static DemoChat start(PrintWriter out) throws IOException {
    return new DemoChat(out);
  }

  /** Where the alert-engine's webhook receiver posts. */
  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange; InputStream body = exchange.getRequestBody()) {
      JsonNode payload = JSON.readTree(body);
      for (JsonNode alert : payload.path("alerts")) {
        print(alert);
      }
      exchange.sendResponseHeaders(200, -1);
    } catch (IOException | RuntimeException e) {
      exchange.sendResponseHeaders(400, -1);
    }
  }

  private void print(JsonNode alert) {
    String status = alert.path("status").asText();
    String title = alert.path("annotations").path("title").asText(alert.path("labels").path("alertname").asText());
    String summary = alert.path("annotations").path("summary").asText();
    out.printf("  alert %-8s %s%n%s", status, title,
        summary.isBlank() ? "" : "                 " + summary.replace("\n", " ") + System.lineSeparator());
    out.flush();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
