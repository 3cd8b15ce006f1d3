package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code /api/v1/nodes/<node>/proxy/<path>}: forwards the request to the node's kubelet at
 * {@code https://<InternalIP>:<status.daemonEndpoints.kubeletEndpoint.Port>/<path>} with the API
 * server's bearer token. Like a real API server started without
 * {@code --kubelet-certificate-authority}, it does not verify the kubelet's certificate.
 */
final class NodeProxy {

  private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Accept", "Content-Type");

  private final ClusterStore store;
  private final String token;
  private final SSLSocketFactory trustAll = trustAll();

  NodeProxy(ClusterStore store, String token) {
    this.store = store;
    this.token = token;
  }

  void serve(HttpExchange exchange, ApiPath path) throws IOException {
    ObjectNode node = store.get(ResourceType.NODES, "", path.name());
    String address = internalIp(node);
    int port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port")
        .asInt(10250);
    String rawQuery = exchange.getRequestURI().getRawQuery();
    URI target = URI.create("https://" + (address.contains(":") ? "[" + address + "]" : address)
        + ":" + port + path.rest() + (rawQuery == null ? "" : "?" + rawQuery));
    HttpsURLConnection connection = (HttpsURLConnection) target.toURL().openConnection();
    connection.setSSLSocketFactory(trustAll);
    connection.setHostnameVerifier((host, session) -> true);
    connection.setConnectTimeout(5_000);
    connection.setReadTimeout(60_000);
    connection.setRequestMethod(exchange.getRequestMethod());
    connection.setRequestProperty("Authorization", "Bearer " + token);
    for (String header : FORWARDED_REQUEST_HEADERS) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null) {
        connection.setRequestProperty(header, value);
      }
    }
    byte[] body = Exchanges.body(exchange);
    try {
      if (body.length > 0) {
        connection.setDoOutput(true);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int code = connection.getResponseCode();
      String contentType = connection.getContentType();
      if (contentType != null) {
        exchange.getResponseHeaders().set("Content-Type", contentType);
      }
      InputStream in = code >= HttpURLConnection.HTTP_BAD_REQUEST ? connection.getErrorStream()
          : connection.getInputStream();
      exchange.sendResponseHeaders(code, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        if (in != null) {
          try (in) {
            in.transferTo(out);
          }
        }
      }
    } catch (IOException e) {
      throw StatusException.serviceUnavailable("error trying to reach service: dial tcp "
          + address + ":" + port + ": " + e.getMessage());
    } finally {
      connection.disconnect();
    }
  }

  private static String internalIp(JsonNode node) {
    for (JsonNode address : node.path("status").path("addresses")) {
      if ("InternalIP".equals(address.path("type").asText())) {
        return address.path("address").asText();
      }
    }
    throw StatusException.serviceUnavailable("no preferred addresses found; known addresses: []");
  }

  private static SSLSocketFactory trustAll() {
    X509TrustManager trustEverything = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustEverything}, new SecureRandom());
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the kubelet client TLS context", e);
    }
  }
}
