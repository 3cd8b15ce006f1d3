package io.kubeobserve.router.index;

import io.kubeobserve.core.contract.RecordHeaders;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * Sends records the indexer cannot index to the dead-letter topic: the original key, value and
 * headers, plus headers naming the error, the source topic, partition and offset, and this service.
 */
public final class DeadLetters {

  /** {@code kube_observe.service} of records the event-router dead-letters. */
  public static final String SERVICE = "event-router";
  /** Longest error text kept in a header. */
  static final int MAX_ERROR_CHARS = 4000;

  private final Producer<byte[], byte[]> producer;
  private final String topic;

  public DeadLetters(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  public Future<RecordMetadata> send(ConsumerRecord<byte[], byte[]> source, String error) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, source.key(), source.value());
    for (Header header : source.headers()) {
      if (!header.key().startsWith("kube_observe.")) {
        record.headers().add(header);
      }
    }
    String text = error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "..." : error;
    RecordHeaders.putString(record.headers(), RecordHeaders.DEADLETTER_ERROR, text);
    RecordHeaders.putString(record.headers(), RecordHeaders.DEADLETTER_SOURCE_TOPIC, source.topic());
    RecordHeaders.putString(record.headers(), RecordHeaders.DEADLETTER_SOURCE_PARTITION,
        Integer.toString(source.partition()));
    RecordHeaders.putString(record.headers(), RecordHeaders.DEADLETTER_SOURCE_OFFSET, Long.toString(source.offset()));
    RecordHeaders.putString(record.headers(), RecordHeaders.DEADLETTER_SERVICE, SERVICE);
    return producer.send(record);
  }

  public String topic() {
    return topic;
  }
}
