package io.kubeobserve.alerts.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Posts a JSON payload to one receiver URL and says how it went: 2xx delivered (Slack's 200
 * {@code ok}, Discord's 204, Teams Workflows' 202, Google Chat's 200 with the message); 408, 429 and
 * 5xx worth retrying, with the receiver's {@code Retry-After} (seconds or an HTTP date); a
 * connection failure or timeout worth retrying; any other status rejected, with the status and the
 * start of the body (Slack's {@code invalid_payload}, Discord's error JSON). The URL is a secret:
 * it never appears in a result, and is scrubbed from exception messages.
 */
final class HttpPoster {

  private static final int EXCERPT_BYTES = 512;
  private static final int EXCERPT_CHARS = 200;

  private final HttpClient http;
  private final URI url;
  private final Duration timeout;
  private final Clock clock;

  HttpPoster(HttpClient http, URI url, Duration timeout, Clock clock) {
    this.http = http;
    this.url = url;
    this.timeout = timeout;
    this.clock = clock;
  }

  SendResult post(String json) {
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      return SendResult.retry("request failed: " + scrub(e.toString()), Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendResult.retry("interrupted", Optional.empty());
    }
    int status = response.statusCode();
    String excerpt = excerpt(response);
    if (status / 100 == 2) {
      return SendResult.delivered();
    }
    String detail = "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
    if (status == 408 || status == 429 || status / 100 == 5) {
      return SendResult.retry(detail, response.headers().firstValue("Retry-After").flatMap(this::retryAfter));
    }
    if (status / 100 == 3) {
      return SendResult.rejected(detail + " (redirects are not followed: check the URL)");
    }
    return SendResult.rejected(detail);
  }

  /** A {@code Retry-After} value, delay-seconds or an HTTP date, as a wait from now. */
  Optional<Duration> retryAfter(String value) {
    String text = value.strip();
    if (text.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    try {
      Duration wait = Duration.between(clock.instant(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private String excerpt(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      String text = new String(body.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
      return text.isEmpty() ? "" : Text.truncate(scrub(text), EXCERPT_CHARS);
    } catch (IOException e) {
      return "";
    }
  }

  private String scrub(String text) {
    String scrubbed = text.replace(url.toString(), "<receiver URL>");
    String path = url.getRawPath();
    if (path != null && path.length() > 1) {
      scrubbed = scrubbed.replace(path, "<path>");
    }
    return url.getHost() == null ? scrubbed : scrubbed.replace(url.getHost(), "<host>");
  }
}
