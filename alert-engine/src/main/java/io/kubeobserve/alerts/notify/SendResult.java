package io.kubeobserve.alerts.notify;

import java.time.Duration;
import java.util.Optional;

/**
 * How one attempt to deliver went.
 *
 * @param outcome delivered, worth retrying, or not worth retrying
 * @param retryAfter the receiver's {@code Retry-After}, when it sent one
 * @param detail what went wrong, for logs (HTTP status and a short body excerpt; never the URL)
 */
public record SendResult(Outcome outcome, Optional<Duration> retryAfter, String detail) {

  public enum Outcome { DELIVERED, RETRY, REJECTED }

  public static SendResult delivered() {
    return new SendResult(Outcome.DELIVERED, Optional.empty(), "");
  }

  public static SendResult retry(String detail, Optional<Duration> retryAfter) {
    return new SendResult(Outcome.RETRY, retryAfter, detail);
  }

  public static SendResult rejected(String detail) {
    return new SendResult(Outcome.REJECTED, Optional.empty(), detail);
  }
}
