package io.kubeobserve.router.index;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordDecodeException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The documents of one bulk request, built from Kafka records: the NDJSON body (create actions
 * with {@code _id} = {@code log.record.uid}), which record each document came from, and the
 * offsets to commit once every document is settled. A record is never split across batches.
 */
final class BulkBatch {

  /** A document: the record it came from, its id, and its action and source lines in the body. */
  record Document(int source, String id, int start, int end) {
    int bytes() {
      return end - start;
    }
  }

  private final GrowableBytes body;
  private final DocumentEncoder encoder;
  private final List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>();
  private final List<Document> documents = new ArrayList<>();
  private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  private long firstAddedNanos;

  BulkBatch(int initialCapacity) {
    this.body = new GrowableBytes(initialCapacity);
    this.encoder = new DocumentEncoder(body);
  }

  /**
   * Adds the documents of one record.
   *
   * @return empty, or why the record cannot be indexed (it is then to be dead-lettered; its offset still counts)
   */
  Optional<String> add(ConsumerRecord<byte[], byte[]> record, DataStream stream, long ingestUnixNanos) {
    if (nextOffsets.isEmpty()) {
      firstAddedNanos = System.nanoTime();
    }
    nextOffsets.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
    ExportLogsServiceRequest request;
    try {
      request = OtlpCodec.decodeLogs(record.value());
    } catch (RecordDecodeException e) {
      return Optional.of(e.getMessage());
    }
    int source = sources.size();
    sources.add(record);
    int mark = documents.size();
    int bodyMark = body.size();
    try {
      for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
        for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
          for (LogRecord logRecord : scopeLogs.getLogRecordsList()) {
            Optional<String> uid = OtlpValues.stringAttribute(logRecord.getAttributesList(), Attributes.LOG_RECORD_UID);
            if (uid.isEmpty() || uid.get().isEmpty()) {
              rollback(mark, bodyMark, source);
              return Optional.of("log record without " + Attributes.LOG_RECORD_UID
                  + ": its document id would not be deterministic");
            }
            int start = body.size();
            encoder.writeAction(stream.name(), uid.get());
            encoder.writeDocument(stream, resourceLogs.getResource(), scopeLogs.getScope(), logRecord,
                ingestUnixNanos);
            encoder.flush();
            documents.add(new Document(source, uid.get(), start, body.size()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.empty();
  }

  private void rollback(int documentMark, int bodyMark, int source) {
    while (documents.size() > documentMark) {
      documents.remove(documents.size() - 1);
    }
    if (body.size() > bodyMark) {
      // GrowableBytes only grows; rebuild the shorter body by copying the kept prefix
      byte[] kept = java.util.Arrays.copyOf(body.array(), bodyMark);
      body.reset();
      body.write(kept, 0, kept.length);
    }
    sources.remove(source);
  }

  /** Empties the batch for reuse, keeping its buffer. */
  void clear() {
    body.reset();
    sources.clear();
    documents.clear();
    nextOffsets.clear();
  }

  boolean isEmpty() {
    return nextOffsets.isEmpty();
  }

  int documentCount() {
    return documents.size();
  }

  int bytes() {
    return body.size();
  }

  /** {@link System#nanoTime()} when the first record was added. */
  long firstAddedNanos() {
    return firstAddedNanos;
  }

  List<Document> documents() {
    return documents;
  }

  ConsumerRecord<byte[], byte[]> source(int index) {
    return sources.get(index);
  }

  /** The offsets to commit: per partition, one past the last record added. */
  Map<TopicPartition, Long> nextOffsets() {
    return nextOffsets;
  }

  byte[] array() {
    return body.array();
  }

  /** The body of a subset of the documents (for a retry), in their order. */
  byte[] bodyOf(List<Document> subset) {
    int size = 0;
    for (Document document : subset) {
      size += document.bytes();
    }
    byte[] out = new byte[size];
    int position = 0;
    for (Document document : subset) {
      System.arraycopy(body.array(), document.start(), out, position, document.bytes());
      position += document.bytes();
    }
    return out;
  }
}
