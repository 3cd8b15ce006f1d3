package io.kubeobserve.devstack.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The HTTP API of a local Prometheus or Alertmanager, with JSON bodies. */
final class HttpApi {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  HttpApi(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The status code of a GET, for readiness probes; throws while nothing listens. */
  int status(String path) throws IOException, InterruptedException {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** GET {@code path} and parse the JSON answer; fails on a status other than 200. */
  JsonNode getJson(String path) {
    return parse(send(request(path).GET().build()), path);
  }

  /** POST {@code body} to {@code path}; fails on a status other than 2xx; returns the answer. */
  String post(String path, String contentType, String body) {
    HttpRequest request =
        request(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return send(request);
  }

  /**
   * The {@code data} of a Prometheus API answer ({@code {"status":"success","data":...}}).
   *
   * @throws IllegalArgumentException when Prometheus rejects the request (a bad query)
   */
  JsonNode prometheusData(String path) {
    HttpResponse<String> response = exchange(request(path).GET().build());
    JsonNode answer = parse(response.body(), path);
    if (response.statusCode() != 200 || !"success".equals(answer.path("status").asText())) {
      throw new IllegalArgumentException(
          "GET "
              + path
              + " answered "
              + response.statusCode()
              + ": "
              + answer.path("errorType").asText()
              + ": "
              + answer.path("error").asText());
    }
    return answer.path("data");
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
  }

  private String send(HttpRequest request) {
    HttpResponse<String> response = exchange(request);
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          request.method()
              + " "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body().strip());
    }
    return response.body();
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
    }
  }

  private static JsonNode parse(String body, String path) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON from " + path + ": " + body, e);
    }
  }
}
