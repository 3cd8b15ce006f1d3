package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Queue;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's front: bearer token authentication (401 Status otherwise; the public info
 * paths {@code /version}, {@code /healthz}, {@code /livez}, {@code /readyz} are open, as the
 * {@code system:public-info-viewer} role makes them), then discovery, resources, {@code pods/log}
 * and {@code nodes/proxy}. Errors are {@code Status} objects.
 */
final class ApiHandler implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
  private static final Set<String> PUBLIC_PATHS = Set.of("/version", "/healthz", "/livez", "/readyz");
  private static final int REQUEST_LOG_LIMIT = 10_000;

  private final byte[] expectedAuthorization;
  private final Discovery discovery;
  private final ResourceHandler resources;
  private final PodLogs logs;
  private final NodeProxy proxy;
  private final Queue<String> requestLog;

  ApiHandler(String token, Discovery discovery, ResourceHandler resources, PodLogs logs,
      NodeProxy proxy, Queue<String> requestLog) {
    this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.discovery = discovery;
    this.resources = resources;
    this.logs = logs;
    this.proxy = proxy;
    this.requestLog = requestLog;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getRawQuery();
    String line = exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query);
    log.debug("{}", line);
    try {
      if (!PUBLIC_PATHS.contains(path) && !authorized(exchange)) {
        throw StatusException.unauthorized();
      }
      if (requestLog.size() < REQUEST_LOG_LIMIT) {
        requestLog.add(line);
      }
      route(exchange, path);
    } catch (StatusException e) {
      respondError(exchange, e);
    } catch (RuntimeException e) {
      log.warn("{} failed", line, e);
      respondError(exchange, new StatusException(500, "InternalError",
          "Internal error occurred: " + e, "", "", ""));
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange, String path) throws IOException {
    switch (path) {
      case "/version" -> Exchanges.json(exchange, 200, discovery.version());
      case "/healthz", "/livez", "/readyz" -> text(exchange, "ok");
      case "/api", "/api/" -> Exchanges.json(exchange, 200, discovery.coreVersions());
      case "/apis", "/apis/" -> Exchanges.json(exchange, 200, discovery.groups());
      default -> routeResource(exchange, path);
    }
  }

  private void routeResource(HttpExchange exchange, String path) throws IOException {
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    if (parts.length == 2 && parts[0].equals("api")) {
      document(exchange, discovery.resources("", parts[1]));
      return;
    }
    if (parts.length == 2 && parts[0].equals("apis")) {
      document(exchange, discovery.group(parts[1]));
      return;
    }
    if (parts.length == 3 && parts[0].equals("apis")) {
      document(exchange, discovery.resources(parts[1], parts[2]));
      return;
    }
    ApiPath api = ApiPath.parse(path);
    if (api == null) {
      throw StatusException.noSuchPath();
    }
    switch (api.subresource()) {
      case "log" -> logs.serve(exchange, api);
      case "proxy" -> proxy.serve(exchange, api);
      default -> resources.handle(exchange, api);
    }
  }

  private static void document(HttpExchange exchange, ObjectNode document) throws IOException {
    if (document == null) {
      throw StatusException.noSuchPath();
    }
    Exchanges.json(exchange, 200, document);
  }

  private boolean authorized(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null
        && MessageDigest.isEqual(header.trim().getBytes(StandardCharsets.UTF_8), expectedAuthorization);
  }

  private static void respondError(HttpExchange exchange, StatusException error) {
    try {
      Exchanges.status(exchange, error);
    } catch (IOException | RuntimeException e) {
      // headers already sent (a stream failed midway) or the client went away
      log.debug("cannot send {} to the client: {}", error.code(), e.toString());
    }
  }

  private static void text(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
