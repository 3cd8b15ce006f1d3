package io.kubeobserve.router.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.kubeobserve.router.RouterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * The connection to Elasticsearch from {@code elasticsearch.*}: the low-level {@link RestClient}
 * (bulk requests, templates) and the Java API client on top of it (cluster health), with basic
 * auth or an API key, and TLS trusting {@code caFile} when given. Closing closes both.
 */
public final class ElasticsearchConnection implements AutoCloseable {

  private final RestClient restClient;
  private final ElasticsearchClient client;
  private final String description;

  private ElasticsearchConnection(RestClient restClient, String description) {
    this.restClient = restClient;
    this.client = new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper()));
    this.description = description;
  }

  public static ElasticsearchConnection open(RouterConfig.Elasticsearch config) {
    List<HttpHost> hosts = new ArrayList<>();
    for (URI url : config.urls()) {
      int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
      hosts.add(new HttpHost(url.getHost(), port, url.getScheme()));
    }
    RestClientBuilder builder = RestClient.builder(hosts.toArray(HttpHost[]::new))
        .setCompressionEnabled(config.compression())
        .setRequestConfigCallback(request -> request
            .setConnectTimeout((int) config.connectTimeout().toMillis())
            .setSocketTimeout((int) config.socketTimeout().toMillis())
            .setConnectionRequestTimeout((int) config.connectTimeout().toMillis()));
    List<Header> headers = new ArrayList<>();
    String auth = "none";
    if (config.apiKey().isPresent()) {
      headers.add(new BasicHeader("Authorization", "ApiKey " + config.apiKey().get().reveal()));
      auth = "API key";
    } else if (config.username().isPresent()) {
      String credentials = config.username().get() + ":" + config.password().orElseThrow().reveal();
      headers.add(new BasicHeader("Authorization",
          "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
      auth = "basic auth as " + config.username().get();
    }
    builder.setDefaultHeaders(headers.toArray(Header[]::new));
    if (config.caFile().isPresent()) {
      SSLContext ssl = trusting(config.caFile().get());
      builder.setHttpClientConfigCallback(http -> http.setSSLContext(ssl));
    }
    String description = config.urls() + " (" + auth + config.caFile().map(ca -> ", CA " + ca).orElse("") + ")";
    return new ElasticsearchConnection(builder.build(), description);
  }

  /** An SSL context trusting exactly the certificates of a PEM file. */
  static SSLContext trusting(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IllegalArgumentException("elasticsearch.caFile " + caFile + " holds no certificate");
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read elasticsearch.caFile " + caFile, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("elasticsearch.caFile " + caFile + ": " + e.getMessage(), e);
    }
  }

  public RestClient restClient() {
    return restClient;
  }

  public ElasticsearchClient client() {
    return client;
  }

  @Override
  public void close() {
    try {
      restClient.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
