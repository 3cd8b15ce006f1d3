package io.kubeobserve.alerts.detect;

import io.kubeobserve.alerts.detect.Observation.Kind;
import io.kubeobserve.alerts.notify.Notification.Severity;
import io.kubeobserve.core.contract.RecordHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * The pipeline alerting on itself: each record of the dead-letter topic (any service's) is an
 * occurrence of {@code DeadLetters} for the service and topic it came from, so dead letters that
 * keep coming are one incident, resolved once none came for the quiet period.
 */
public final class DeadLetterDetector {

  /** Longest error text kept in the incident's details. */
  static final int MAX_ERROR_CHARS = 500;

  private DeadLetterDetector() {}

  /**
   * @param headers the dead-letter record's headers (its error, source and service)
   * @param partition where the dead-letter record is (its occurrence id)
   * @param offset where the dead-letter record is
   * @param timestampMillis the dead-letter record's timestamp
   */
  public static Observation detect(Headers headers, int partition, long offset, long timestampMillis) {
    String service = RecordHeaders.lastString(headers, RecordHeaders.DEADLETTER_SERVICE).orElse("unknown");
    String topic = RecordHeaders.lastString(headers, RecordHeaders.DEADLETTER_SOURCE_TOPIC).orElse("unknown");
    String error = RecordHeaders.lastString(headers, RecordHeaders.DEADLETTER_ERROR).orElse("");
    if (error.length() > MAX_ERROR_CHARS) {
      error = error.substring(0, MAX_ERROR_CHARS) + "...";
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("Service", service);
    details.put("Source topic", topic);
    details.put("Message", "Latest error: " + error);
    String source = topic + "-" + RecordHeaders.lastString(headers, RecordHeaders.DEADLETTER_SOURCE_PARTITION).orElse("?")
        + "@" + RecordHeaders.lastString(headers, RecordHeaders.DEADLETTER_SOURCE_OFFSET).orElse("?");
    return new Observation(Kind.OCCURRENCE, Rules.DEAD_LETTERS, "", service + "/" + topic,
        "deadletter/" + partition + "/" + offset, source, timestampMillis, Severity.WARNING, Map.of(), Map.of(),
        Map.of(), details, List.of(), 0, 0);
  }
}
