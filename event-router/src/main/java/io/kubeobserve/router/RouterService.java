package io.kubeobserve.router;

import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.core.ops.ReadinessCheck;
import io.kubeobserve.core.runtime.Service;
import io.kubeobserve.core.runtime.ServiceContext;
import io.kubeobserve.router.index.ElasticsearchConnection;
import io.kubeobserve.router.index.ElasticsearchHealth;
import io.kubeobserve.router.index.Indexer;
import io.kubeobserve.router.watch.KubernetesApi;
import io.kubeobserve.router.watch.WatchListener;
import io.kubeobserve.router.watch.Watcher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-router: the watcher (cluster Events and Node condition transitions into
 * {@code k8s-events}, on the replica holding the Lease) and the indexer (logs and events from
 * Kafka into Elasticsearch data streams, on every replica, as one consumer group).
 */
public final class RouterService implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(RouterService.class);

  private final RouterConfig config;
  private final ServiceContext context;
  private final WatchListener watchListener;
  private ElasticsearchConnection connection;
  private ElasticsearchHealth health;
  private KafkaProducer<byte[], byte[]> deadLetterProducer;
  private Indexer indexer;
  private Watcher watcher;
  private boolean closed;

  public RouterService(RouterConfig config, ServiceContext context) {
    this(config, context, WatchListener.NONE);
  }

  /** With a listener told what the watcher committed (tests, tools). */
  public RouterService(RouterConfig config, ServiceContext context, WatchListener watchListener) {
    this.config = config;
    this.context = context;
    this.watchListener = watchListener;
    if (config.indexer().enabled()) {
      connection = ElasticsearchConnection.open(config.elasticsearch());
      health = new ElasticsearchHealth(connection, config.ops().readinessInterval(), context.meterRegistry());
    }
  }

  @Override
  public List<TopicSpec> topicsWritten() {
    ContractTopics topics = new ContractTopics(config.kafka());
    List<TopicSpec> written = new ArrayList<>(List.of(topics.events(), topics.deadletter()));
    if (watcherEnabled()) {
      written.add(TopicSpec.state(config.watcher().stateTopic()));
    }
    return written;
  }

  @Override
  public List<ReadinessCheck> readinessChecks() {
    return health == null ? List.of() : List.of(health);
  }

  private boolean watcherEnabled() {
    return config.kubernetes().enabled() && config.watcher().enabled();
  }

  @Override
  public synchronized void start() {
    if (health != null) {
      health.start();
      deadLetterProducer = context.kafkaClients().producer("deadletter");
      indexer = new Indexer(config, context.kafkaClients(), context.meterRegistry(), connection, deadLetterProducer);
      indexer.start();
    } else {
      LOG.info("indexer disabled (indexer.enabled=false)");
    }
    if (watcherEnabled()) {
      watcher = new Watcher(config, KubernetesApi.connect(config.kubernetes()), context.kafkaClients(),
          context.meterRegistry(), watchListener, Clock.systemUTC());
      watcher.start();
    } else {
      LOG.info("watcher disabled (kubernetes.enabled={}, watcher.enabled={})", config.kubernetes().enabled(),
          config.watcher().enabled());
    }
  }

  /** The indexer, when enabled and started. */
  public Optional<Indexer> indexer() {
    return Optional.ofNullable(indexer);
  }

  /** The watcher, when enabled and started. */
  public Optional<Watcher> watcher() {
    return Optional.ofNullable(watcher);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (watcher != null) {
      watcher.close();
    }
    if (indexer != null) {
      indexer.close();
    }
    if (deadLetterProducer != null) {
      deadLetterProducer.close(Duration.ofSeconds(5));
    }
    if (health != null) {
      health.close();
    }
    if (connection != null) {
      connection.close();
    }
  }
}
