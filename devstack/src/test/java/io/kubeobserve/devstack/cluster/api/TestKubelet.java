package io.kubeobserve.devstack.cluster.api;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kubeobserve.devstack.tls.LocalCertificateAuthority;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A tiny HTTPS kubelet for the nodes/proxy tests: {@code /stats/summary} behind a bearer token. */
final class TestKubelet implements AutoCloseable {

  private final HttpsServer server;

  TestKubelet(String nodeName, String token) {
    try {
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.setHttpsConfigurator(new HttpsConfigurator(
          LocalCertificateAuthority.create("kubelet-ca").serverContext(nodeName)));
      server.createContext("/stats/summary", exchange -> {
        try (exchange) {
          boolean authorized = ("Bearer " + token).equals(
              exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] body = (authorized
              ? "{\"node\":{\"nodeName\":\"" + nodeName + "\",\"memory\":{\"workingSetBytes\":123456}},\"pods\":[]}"
              : "Unauthorized").getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type",
              authorized ? "application/json" : "text/plain; charset=utf-8");
          exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
          exchange.getResponseBody().write(body);
        }
      });
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
