package io.kubeobserve.adapter;

import io.kubeobserve.adapter.exposition.ExpositionServer;
import io.kubeobserve.adapter.exposition.SeriesCollector;
import io.kubeobserve.adapter.ingest.MetricsConsumer;
import io.kubeobserve.adapter.remotewrite.RemoteWriteQueue;
import io.kubeobserve.adapter.remotewrite.RemoteWriter;
import io.kubeobserve.adapter.store.SeriesStore;
import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.core.ops.ReadinessCheck;
import io.kubeobserve.core.runtime.Service;
import io.kubeobserve.core.runtime.ServiceContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics-adapter: a consumer group member over {@code k8s-metrics} that holds the latest
 * sample of every series of its partitions and serves them to Prometheus on
 * {@code exposition.port} (text format or OpenMetrics), and, when {@code remoteWrite.url} is set,
 * remote-writes every sample it accepts. Its own meters stay on the ops endpoint.
 */
public final class AdapterService implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(AdapterService.class);
  private static final String SERVICE_NAME = "metrics-adapter";

  private final AdapterConfig config;
  private final ServiceContext context;
  private final Clock clock;
  private SeriesStore store;
  private KafkaProducer<byte[], byte[]> deadletters;
  private volatile MetricsConsumer consumer;
  private ExpositionServer exposition;
  private RemoteWriter remoteWriter;

  public AdapterService(AdapterConfig config, ServiceContext context) {
    this(config, context, Clock.systemUTC());
  }

  AdapterService(AdapterConfig config, ServiceContext context, Clock clock) {
    this.config = config;
    this.context = context;
    this.clock = clock;
  }

  @Override
  public List<TopicSpec> topicsWritten() {
    return List.of(new ContractTopics(config.kafka()).deadletter());
  }

  /** {@code metrics-consumer}: ready while the consumer of {@code k8s-metrics} runs. */
  @Override
  public List<ReadinessCheck> readinessChecks() {
    return List.of(new ReadinessCheck() {
      @Override
      public String name() {
        return "metrics-consumer";
      }

      @Override
      public Status status() {
        MetricsConsumer running = consumer;
        return running == null ? Status.notReady("starting") : running.status();
      }
    });
  }

  @Override
  public void start() {
    MeterRegistry meters = context.meterRegistry();
    store = new SeriesStore(new SeriesStore.Settings(config.staleness().timeout(), config.limits().maxSeries(),
        config.limits().maxSeriesPerMetric(), config.limits().maxSeriesPerNamespace(),
        config.exposition().clusterLabel()), clock, meters);
    if (config.remoteWrite().url().isPresent()) {
      RemoteWriteQueue queue = new RemoteWriteQueue(config.remoteWrite().queueCapacity(), meters);
      store.listener(queue);
      remoteWriter = new RemoteWriter(config.remoteWrite(), queue, meters).start();
    }
    PrometheusRegistry relayed = new PrometheusRegistry();
    relayed.register(new SeriesCollector(store, config.exposition().timestamps()));
    exposition = ExpositionServer.start(config.exposition().address(), config.exposition().port(),
        config.exposition().path(), relayed, config.exposition().gzip(), meters);
    deadletters = context.kafkaClients().producer("deadletter");
    consumer = new MetricsConsumer(
        context.kafkaClients().consumer("metrics", config.consumer().groupId()), deadletters,
        config.kafka().topics().metrics(), config.kafka().topics().deadletter(), SERVICE_NAME, store,
        config.staleness().timeout(), config.consumer().warmStart(), clock, meters).start();
    LOG.info("relaying {} (group {}) to the exposition on port {}{}", config.kafka().topics().metrics(),
        config.consumer().groupId(), exposition.port(),
        remoteWriter == null ? "" : " and remote-write " + config.remoteWrite().url().get());
  }

  /** The port of the relayed metrics, useful when {@code exposition.port} is 0. */
  public int expositionPort() {
    return exposition.port();
  }

  /** The store, for tests and the benchmark. */
  SeriesStore store() {
    return store;
  }

  /** Whether the consumer group has assigned this replica its partitions. */
  public boolean assigned() {
    return consumer != null && consumer.assigned();
  }

  /**
   * Stops consuming (committing what was stored), then remote-write (the batch in flight may
   * finish), the exposition and the dead-letter producer. Safe to call twice.
   */
  @Override
  public void close() {
    if (consumer != null) {
      consumer.close();
    }
    if (remoteWriter != null) {
      remoteWriter.close();
    }
    if (exposition != null) {
      exposition.close();
    }
    if (deadletters != null) {
      deadletters.close(Duration.ofSeconds(5));
      deadletters = null;
    }
  }
}
