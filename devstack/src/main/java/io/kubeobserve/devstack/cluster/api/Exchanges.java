package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading requests and writing JSON responses on a {@link HttpExchange}. */
final class Exchanges {

  private Exchanges() {}

  /** The query parameters (first value of each), decoded. */
  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String key = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      query.putIfAbsent(key, value);
    }
    return query;
  }

  static boolean flag(Map<String, String> query, String name) {
    String value = query.getOrDefault(name, "false");
    return value.equals("true") || value.equals("1") || (query.containsKey(name) && value.isEmpty());
  }

  static byte[] body(HttpExchange exchange) throws IOException {
    return exchange.getRequestBody().readAllBytes();
  }

  static void json(HttpExchange exchange, int code, JsonNode body) throws IOException {
    byte[] bytes = Json.bytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void status(HttpExchange exchange, StatusException error) throws IOException {
    json(exchange, error.code(), error.toStatus());
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
