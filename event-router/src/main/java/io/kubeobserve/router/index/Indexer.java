package io.kubeobserve.router.index;

import io.kubeobserve.core.kafka.KafkaClients;
import io.kubeobserve.router.RouterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer: {@code indexer.consumers} consumers of one group over the enabled topics, each
 * bulk-indexing into the data streams of {@link DataStreamRouting}. Before the first poll the
 * index templates are installed (retried until Elasticsearch answers), so that no data stream is
 * created with the wrong mappings.
 *
 * <p>Lifecycle: {@link #start()}, then {@link #close()} (safe twice), which lets each consumer
 * finish the batch in hand when Elasticsearch takes it at once.
 */
public final class Indexer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);

  private final RouterConfig config;
  private final KafkaClients kafkaClients;
  private final MeterRegistry registry;
  private final ElasticsearchConnection connection;
  private final DataStreamRouting routing;
  private final DeadLetters deadLetters;
  private final IndexerMetrics metrics;
  private final List<IndexerWorker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch templatesInstalled = new CountDownLatch(1);
  private final AtomicBoolean templatesStarted = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<KafkaClientMetrics> consumerMetrics = new ArrayList<>();

  public Indexer(RouterConfig config, KafkaClients kafkaClients, MeterRegistry registry,
      ElasticsearchConnection connection, Producer<byte[], byte[]> deadLetterProducer) {
    this.config = config;
    this.kafkaClients = kafkaClients;
    this.registry = registry;
    this.connection = connection;
    this.routing = DataStreamRouting.of(config.kafka().topics(), config.indexer(),
        config.elasticsearch().dataStreams());
    this.deadLetters = new DeadLetters(deadLetterProducer, config.kafka().topics().deadletter());
    this.metrics = new IndexerMetrics(registry);
  }

  public IndexerMetrics metrics() {
    return metrics;
  }

  public DataStreamRouting routing() {
    return routing;
  }

  public void start() {
    BulkSender sender = new BulkSender(connection.restClient(), config.indexer().retry(), metrics);
    for (int i = 0; i < config.indexer().consumers(); i++) {
      String name = "indexer-" + i;
      IndexerWorker worker = new IndexerWorker(name, () -> consumer(name), routing, sender, deadLetters,
          config.indexer().bulk(), metrics, this::awaitTemplates);
      workers.add(worker);
      Thread thread = new Thread(worker, name);
      threads.add(thread);
      thread.start();
    }
    LOG.info("indexer started: {} consumer(s) of group {} over {} into {}", workers.size(),
        config.indexer().groupId(), routing.topics(), connection);
  }

  /** Installs the templates once (the first worker does, retrying); the others wait for it. */
  private void awaitTemplates() {
    if (!config.elasticsearch().templates().install()) {
      return;
    }
    if (templatesStarted.compareAndSet(false, true)) {
      IndexTemplates templates = new IndexTemplates(config.elasticsearch().templates(),
          config.elasticsearch().retention());
      long delay = 500;
      while (!closed.get()) {
        try {
          templates.install(connection.restClient(), routing.dataStreams());
          templatesInstalled.countDown();
          return;
        } catch (Exception e) {
          LOG.warn("cannot install the index templates yet ({}); retrying in {} ms", e.toString(), delay);
          try {
            if (closing.await(delay, TimeUnit.MILLISECONDS)) {
              break;
            }
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
          }
          delay = Math.min(delay * 2, 10_000);
        }
      }
      throw new IllegalStateException("stopped before the index templates were installed");
    }
    try {
      while (!templatesInstalled.await(200, TimeUnit.MILLISECONDS)) {
        if (closed.get()) {
          throw new IllegalStateException("stopped before the index templates were installed");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * A consumer of the indexer's group. It reads committed records only ({@code read_committed}):
   * the watcher writes {@code k8s-events} in transactions, and an aborted one must not be indexed.
   */
  private Consumer<byte[], byte[]> consumer(String name) {
    Map<String, Object> settings = kafkaClients.settings(name, Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, config.indexer().groupId(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    KafkaClientMetrics binding = new KafkaClientMetrics(consumer);
    binding.bindTo(registry);
    synchronized (consumerMetrics) {
      consumerMetrics.add(binding);
    }
    return consumer;
  }

  /** Stops the consumers, letting each finish its batch when Elasticsearch takes it at once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing.countDown();
    workers.forEach(IndexerWorker::stop);
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    synchronized (consumerMetrics) {
      consumerMetrics.forEach(KafkaClientMetrics::close);
      consumerMetrics.clear();
    }
    LOG.info("indexer stopped");
  }
}
