package io.kubeobserve.alerts.silence;

import io.kubeobserve.alerts.incident.Matchers;
import java.util.Map;

/**
 * A silence: incidents whose labels match every matcher are not sent until {@code untilMillis}.
 *
 * @param id its id (the key in the silences topic)
 * @param matchers label → value, as routes ({@code namespace}, {@code alertname}, {@code label.<key>}, ...)
 * @param untilMillis when it ends, epoch milliseconds
 * @param comment why
 * @param createdBy who, as the API caller said
 */
public record Silence(String id, Map<String, String> matchers, long untilMillis, String comment, String createdBy) {

  public Silence {
    matchers = Map.copyOf(matchers);
  }

  public boolean silences(Map<String, String> labels, long nowMillis) {
    return nowMillis < untilMillis && Matchers.matchAll(matchers, labels);
  }
}
