package io.kubeobserve.devstack.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalCertificateAuthorityTest {

  @Test
  void aClientTrustingTheCaReachesAServerItIssuedAndOthersAreRefused() throws Exception {
    LocalCertificateAuthority ca = LocalCertificateAuthority.create("test-ca");
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext("api")));
    server.createContext("/", exchange -> {
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
      HttpResponse<String> trusted = HttpClient.newBuilder().sslContext(ca.trustingContext()).build()
          .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(trusted.body()).isEqualTo("ok");

      LocalCertificateAuthority other = LocalCertificateAuthority.create("other-ca");
      assertThatThrownBy(() -> HttpClient.newBuilder().sslContext(other.trustingContext()).build()
          .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      assertThat(ca.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
    } finally {
      server.stop(0);
    }
  }
}
