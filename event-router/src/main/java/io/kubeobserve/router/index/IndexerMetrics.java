package io.kubeobserve.router.index;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/** The indexer's meters, in one place; names are dotted, the registry renders them. */
public final class IndexerMetrics {

  private final MeterRegistry registry;
  final Counter indexed;
  final Counter alreadyIndexed;
  final Counter rejected;
  final Counter retriedDocuments;
  final Counter retriedRequests;
  final Counter undecodable;
  private final Timer bulkSuccess;
  private final Timer bulkFailure;
  private final AtomicInteger paused = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();
  private final Map<TopicPartition, Double> lag = new ConcurrentHashMap<>();

  public IndexerMetrics(MeterRegistry registry) {
    this.registry = registry;
    String documents = "kube_observe.router.index.documents";
    String description = "documents by what Elasticsearch answered: indexed; already_indexed (409 on create, a replay);"
        + " rejected (dead-lettered)";
    this.indexed = Counter.builder(documents).tag("result", "indexed").description(description).register(registry);
    this.alreadyIndexed = Counter.builder(documents).tag("result", "already_indexed").description(description)
        .register(registry);
    this.rejected = Counter.builder(documents).tag("result", "rejected").description(description).register(registry);
    String retried = "kube_observe.router.index.retried";
    this.retriedDocuments = Counter.builder(retried).tag("scope", "document")
        .description("documents sent again: answered 429 or 5xx alone (document), or in a bulk request that failed"
            + " as a whole (request)").register(registry);
    this.retriedRequests = Counter.builder(retried).tag("scope", "request").register(registry);
    this.undecodable = Counter.builder("kube_observe.router.index.undecodable")
        .description("Kafka records that are not OTLP logs with record ids, dead-lettered").register(registry);
    String bulk = "kube_observe.router.index.bulk";
    this.bulkSuccess = Timer.builder(bulk).tag("outcome", "success")
        .description("bulk request latency").publishPercentileHistogram(false).register(registry);
    this.bulkFailure = Timer.builder(bulk).tag("outcome", "failure").register(registry);
    Gauge.builder("kube_observe.router.index.pending", pending, java.util.concurrent.atomic.AtomicLong::get)
        .description("documents read from Kafka and held in memory, not yet settled in Elasticsearch")
        .register(registry);
    Gauge.builder("kube_observe.router.index.paused", paused, AtomicInteger::get)
        .description("consumers paused because Elasticsearch does not take documents").register(registry);
  }

  void bulk(long nanos, boolean success) {
    (success ? bulkSuccess : bulkFailure).record(nanos, TimeUnit.NANOSECONDS);
  }

  void pending(long delta) {
    pending.addAndGet(delta);
  }

  /** Documents held in memory by this replica's consumers, not yet settled. */
  public long pendingDocuments() {
    return pending.get();
  }

  /** Consumers currently paused because Elasticsearch does not take documents. */
  public int pausedConsumers() {
    return paused.get();
  }

  void paused(boolean nowPaused) {
    paused.addAndGet(nowPaused ? 1 : -1);
  }

  /** Records lag of a partition: records between the consumer's position and the end of the partition. */
  void lag(TopicPartition partition, long records) {
    if (lag.put(partition, (double) records) == null) {
      Gauge.builder("kube_observe.router.index.lag", lag, map -> map.getOrDefault(partition, Double.NaN))
          .tag("topic", partition.topic()).tag("partition", Integer.toString(partition.partition()))
          .baseUnit("records").description("records of the partition not yet read by this replica's consumer")
          .register(registry);
    }
  }

  public double indexedCount() {
    return indexed.count();
  }

  public double alreadyIndexedCount() {
    return alreadyIndexed.count();
  }

  public double rejectedCount() {
    return rejected.count();
  }

  public double retriedCount() {
    return retriedDocuments.count() + retriedRequests.count();
  }
}
