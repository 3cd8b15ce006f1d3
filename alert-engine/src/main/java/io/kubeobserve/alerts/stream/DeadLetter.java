package io.kubeobserve.alerts.stream;

import io.kubeobserve.core.contract.RecordHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The dead-letter record of an input record the engine cannot process: its key, value and headers,
 * plus headers naming the error, the source topic, partition and offset, and this service (as the
 * router's dead letters, so {@code kube-observe replay} handles both).
 */
final class DeadLetter {

  /** {@code kube_observe.service} of the records the engine dead-letters. */
  static final String SERVICE = "alert-engine";

  private DeadLetter() {}

  static Record<Object, Object> of(ProcessorContext<?, ?> context, byte[] key, byte[] value, Headers original,
      long timestamp, String error) {
    Headers headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    for (Header header : original) {
      if (!header.key().startsWith("kube_observe.")) {
        headers.add(header);
      }
    }
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_ERROR, error);
    RecordMetadata source = context.recordMetadata().orElseThrow();
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_SOURCE_TOPIC, source.topic());
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_SOURCE_PARTITION, Integer.toString(source.partition()));
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_SOURCE_OFFSET, Long.toString(source.offset()));
    RecordHeaders.putString(headers, RecordHeaders.DEADLETTER_SERVICE, SERVICE);
    return new Record<>(key, value, timestamp, headers);
  }
}
