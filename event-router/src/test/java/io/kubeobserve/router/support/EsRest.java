package io.kubeobserve.router.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** Plain REST calls to Elasticsearch for test assertions, answers as JSON trees. */
public final class EsRest implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final RestClient client;

  public EsRest(String url) {
    this.client = RestClient.builder(HttpHost.create(url)).build();
  }

  public JsonNode call(String method, String path, String body) {
    Request request = new Request(method, path);
    if (body != null) {
      request.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
    }
    try {
      Response response = client.performRequest(request);
      return JSON.readTree(EntityUtils.toString(response.getEntity()));
    } catch (ResponseException e) {
      throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Refreshes and counts the documents of an index or data stream; 0 when it does not exist. */
  public long count(String index) {
    try {
      call("POST", "/" + index + "/_refresh", null);
      return call("GET", "/" + index + "/_count", null).path("count").asLong();
    } catch (IllegalStateException e) {
      if (e.getMessage().contains("index_not_found_exception")) {
        return 0;
      }
      throw e;
    }
  }

  public JsonNode search(String index, String query) {
    call("POST", "/" + index + "/_refresh", null);
    return call("POST", "/" + index + "/_search", query);
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
