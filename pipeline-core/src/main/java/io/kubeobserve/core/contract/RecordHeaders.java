package io.kubeobserve.core.contract;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Kafka record headers of the contract. */
public final class RecordHeaders {

  private RecordHeaders() {}

  /** W3C trace context, so one batch can be followed from node to index. */
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  /** On {@code k8s-deadletter}: what went wrong with the record. */
  public static final String DEADLETTER_ERROR = "kube_observe.error";
  /** On {@code k8s-deadletter}: the topic, partition and offset the record was read from. */
  public static final String DEADLETTER_SOURCE_TOPIC = "kube_observe.source.topic";
  public static final String DEADLETTER_SOURCE_PARTITION = "kube_observe.source.partition";
  public static final String DEADLETTER_SOURCE_OFFSET = "kube_observe.source.offset";
  /** On {@code k8s-deadletter}: the service that gave up on the record. */
  public static final String DEADLETTER_SERVICE = "kube_observe.service";

  /** The last value of a header as UTF-8 text. */
  public static Optional<String> lastString(Headers headers, String key) {
    Header header = headers.lastHeader(key);
    return header == null || header.value() == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  /** Replaces a header with a UTF-8 text value. */
  public static void putString(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
