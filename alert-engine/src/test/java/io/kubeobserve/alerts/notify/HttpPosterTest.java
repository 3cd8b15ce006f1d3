package io.kubeobserve.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@code Retry-After} as receivers send it: delay-seconds or an HTTP date. */
class HttpPosterTest {

  private final HttpPoster poster = new HttpPoster(HttpClient.newHttpClient(), URI.create("https://hooks.example.com/x"),
      Duration.ofSeconds(1), Clock.fixed(Instant.parse("2026-11-22T06:00:00Z"), ZoneOffset.UTC));

  @Test
  void delaySeconds() {
    assertThat(poster.retryAfter("120")).contains(Duration.ofSeconds(120));
    assertThat(poster.retryAfter(" 0 ")).contains(Duration.ZERO);
  }

  @Test
  void httpDate() {
    assertThat(poster.retryAfter("Sun, 22 Nov 2026 06:00:30 GMT")).contains(Duration.ofSeconds(30));
    assertThat(poster.retryAfter("Sun, 22 Nov 2026 05:59:00 GMT")).as("a date past").contains(Duration.ZERO);
  }

  @Test
  void anythingElseIsIgnored() {
    assertThat(poster.retryAfter("soon")).isEmpty();
    assertThat(poster.retryAfter("-5")).isEmpty();
    assertThat(poster.retryAfter("1.5")).isEmpty();
  }
}
