package io.kubeobserve.alerts;

import io.kubeobserve.alerts.detect.ConsumerLagMonitor;
import io.kubeobserve.alerts.dispatch.Dispatcher;
import io.kubeobserve.alerts.notify.Delivery;
import io.kubeobserve.alerts.notify.Notifiers;
import io.kubeobserve.alerts.notify.ReceiverConfig;
import io.kubeobserve.alerts.silence.Silence;
import io.kubeobserve.alerts.silence.SilencesApi;
import io.kubeobserve.alerts.stream.AlertsTopology;
import io.kubeobserve.alerts.stream.FirstStart;
import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.core.ops.ReadinessCheck;
import io.kubeobserve.core.runtime.Service;
import io.kubeobserve.core.runtime.ServiceContext;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert-engine: a Kafka Streams application ({@link AlertsTopology}) that turns OOM kills,
 * evictions, node conditions, missing heartbeats and threshold breaches into incidents, writes
 * their states to {@code k8s-alerts} and the messages it decides to an outbox topic, exactly once;
 * a {@link Dispatcher} per receiver that sends it the outbox's messages for it; a {@link ConsumerLagMonitor} that
 * feeds the pipeline's consumer lag into the same incidents; and the silences API.
 */
public final class AlertsService implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(AlertsService.class);
  /** The outbox keeps undelivered messages this long (the dispatcher normally takes them in seconds). */
  private static final Duration OUTBOX_RETENTION = Duration.ofDays(7);
  /** Observations are consumed within seconds; a day covers any outage of the engine worth resuming from. */
  private static final Duration OBSERVATIONS_RETENTION = Duration.ofDays(1);

  private static final Duration TOPIC_WAIT = Duration.ofMillis(250);
  private static final int TOPIC_WAIT_ATTEMPTS = 120;

  private final AlertsConfig config;
  private final ServiceContext context;
  private final Function<ReceiverConfig, Delivery> deliveries;
  private final Clock clock;
  private final AlertsMetrics metrics;
  private final List<Silence> configuredSilences;
  private KafkaStreams streams;
  private KafkaStreamsMetrics streamsMetrics;
  private final List<KafkaClientMetrics> dispatcherMetrics = new ArrayList<>();
  private final List<Dispatcher> dispatchers = new ArrayList<>();
  private Producer<byte[], byte[]> silencesProducer;
  private Producer<byte[], byte[]> lagProducer;
  private ConsumerLagMonitor lagMonitor;
  private SilencesApi silencesApi;

  /** The engine with each receiver's notifier and delivery as configured. */
  public AlertsService(AlertsConfig config, ServiceContext context) {
    this(config, context, deliveries(context), Clock.systemUTC());
  }

  /**
   * The engine with the given deliveries (tests pass deliveries with short backoffs) and clock.
   *
   * @param deliveries the delivery of each configured receiver
   */
  public AlertsService(AlertsConfig config, ServiceContext context, Function<ReceiverConfig, Delivery> deliveries,
      Clock clock) {
    this.config = config;
    this.context = context;
    this.deliveries = deliveries;
    this.clock = clock;
    this.metrics = new AlertsMetrics(context.meterRegistry());
    List<Silence> silences = new ArrayList<>();
    for (int i = 0; i < config.silences().size(); i++) {
      AlertsConfig.SilenceConfig silence = config.silences().get(i);
      silences.add(new Silence("config-" + i, silence.matchers(), Instant.parse(silence.until()).toEpochMilli(),
          silence.comment(), "config"));
    }
    this.configuredSilences = List.copyOf(silences);
  }

  private static Function<ReceiverConfig, Delivery> deliveries(ServiceContext context) {
    HttpClient http = Notifiers.httpClient(ReceiverConfig.DEFAULT_TIMEOUT);
    return receiver -> Delivery.create(receiver, http, context.meterRegistry());
  }

  @Override
  public List<TopicSpec> topicsWritten() {
    ContractTopics topics = new ContractTopics(config.kafka());
    // events and metrics are read, not written: created when missing so the engine may start before its producers
    return List.of(topics.events(), topics.metrics(), topics.alerts(), topics.deadletter(),
        TopicSpec.stream(AlertsTopology.observationsTopic(config), OBSERVATIONS_RETENTION),
        TopicSpec.stream(config.engine().outboxTopic(), OUTBOX_RETENTION),
        TopicSpec.state(config.engine().silencesTopic()));
  }

  @Override
  public List<ReadinessCheck> readinessChecks() {
    return List.of(new ReadinessCheck() {
      @Override
      public String name() {
        return "streams";
      }

      @Override
      public Status status() {
        KafkaStreams running = streams;
        if (running == null) {
          return Status.notReady("not started");
        }
        KafkaStreams.State state = running.state();
        return state.isRunningOrRebalancing() ? Status.ready(state.name()) : Status.notReady(state.name());
      }
    });
  }

  @Override
  public void start() throws Exception {
    try (Admin admin = Admin.create(context.kafkaClients().settings("setup", Map.of()))) {
      awaitPartitions(admin, config.engine().silencesTopic());
      FirstStart.seed(admin, config.engine().applicationId(), AlertsTopology.inputTopics(config),
          config.engine().firstStartLookback(), clock);
    }
    streams = new KafkaStreams(AlertsTopology.build(config, configuredSilences, metrics, clock),
        new StreamsConfig(streamsSettings(brokers())));
    streams.setUncaughtExceptionHandler(error -> {
      LOG.error("stream thread failed; replacing it (its tasks resume from their last commit)", error);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(context.meterRegistry());
    streams.start();
    Set<String> names = config.receivers().stream().map(ReceiverConfig::name).collect(Collectors.toSet());
    for (ReceiverConfig receiver : config.receivers()) {
      dispatchers.add(dispatcher(receiver, names).start());
    }

    AlertsConfig.Lag lag = config.pipelineHealth().lag();
    if (!lag.groups().isEmpty()) {
      lagProducer = context.kafkaClients().producer("consumer-lag");
      lagMonitor = new ConsumerLagMonitor(lag, context.kafkaClients().admin("consumer-lag"), lagProducer,
          AlertsTopology.observationsTopic(config), metrics, clock).start();
    }

    if (config.silencesApi().enabled()) {
      silencesProducer = context.kafkaClients().producer("silences");
      silencesApi = SilencesApi.start(config.silencesApi().address(), config.silencesApi().port(),
          silencesProducer, config.engine().silencesTopic(), this::silences, clock);
    }
    LOG.info("alert-engine running: application {}, {} receiver(s), {} threshold rule(s), lag of {} consumer group(s)",
        config.engine().applicationId(), dispatchers.size(), config.thresholds().size(), lag.groups().size());
  }

  /**
   * The dispatcher of one receiver, with a consumer of the receiver's own group
   * ({@code <applicationId>-dispatch-<receiver>}), so that a receiver that is down holds up only its
   * own messages.
   */
  private Dispatcher dispatcher(ReceiverConfig receiver, Set<String> names) {
    Duration maxElapsed = receiver.maxElapsed().orElse(ReceiverConfig.DEFAULT_MAX_ELAPSED);
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(context.kafkaClients().settings(
        "dispatch-" + receiver.name(), Map.of(
            ConsumerConfig.GROUP_ID_CONFIG, config.engine().applicationId() + "-dispatch-" + receiver.name(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            // one message per poll: a receiver that is down holds the poll loop for at most its maxElapsed
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
            ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxElapsed.plusMinutes(2).toMillis())),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(context.meterRegistry());
    dispatcherMetrics.add(consumerMetrics);
    return new Dispatcher(consumer, config.engine().outboxTopic(), deliveries.apply(receiver), names, metrics, clock);
  }

  /**
   * Waits until the brokers know a topic just created (the global silences store refuses to start
   * on a topic without partitions).
   */
  private static void awaitPartitions(Admin admin, String topic) throws InterruptedException {
    for (int attempt = 0; attempt < TOPIC_WAIT_ATTEMPTS; attempt++) {
      try {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
            .get(10, TimeUnit.SECONDS).get(topic);
        if (description != null && !description.partitions().isEmpty()) {
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        // not known yet
      }
      Thread.sleep(TOPIC_WAIT.toMillis());
    }
    LOG.warn("topic {} has no partitions yet; starting anyway", topic);
  }

  /** The port of the silences API, when it is served. */
  public Optional<Integer> silencesPort() {
    return Optional.ofNullable(silencesApi).map(SilencesApi::port);
  }

  /** Every silence: configured, then added through the API (as this instance has read them so far). */
  public List<Silence> silences() {
    List<Silence> all = new ArrayList<>(configuredSilences);
    ReadOnlyKeyValueStore<String, Silence> store = streams.store(
        StoreQueryParameters.fromNameAndType(AlertsTopology.SILENCES_STORE, QueryableStoreTypes.keyValueStore()));
    try (KeyValueIterator<String, Silence> iterator = store.all()) {
      iterator.forEachRemaining(entry -> all.add(entry.value));
    }
    return all;
  }

  /** The metrics of this engine, for tests. */
  public AlertsMetrics metrics() {
    return metrics;
  }

  /** How many brokers the cluster has, so internal topics get no more replicas than that. */
  private int brokers() throws Exception {
    try (Admin admin = Admin.create(context.kafkaClients().settings("setup", Map.of()))) {
      return admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
    }
  }

  /**
   * Kafka Streams settings: exactly once, the configured commit interval, threads and state
   * directory; internal topics (changelogs) replicated as {@code kafka.provisioning.*} asks, at
   * most once per broker (as the topics the runtime provisions).
   */
  private Map<String, Object> streamsSettings(int brokers) {
    AlertsConfig.Engine engine = config.engine();
    int replicas = Math.min(config.kafka().provisioning().replicationFactor(), Math.max(1, brokers));
    return context.kafkaClients().settings("streams", Map.of(
        StreamsConfig.APPLICATION_ID_CONFIG, engine.applicationId(),
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, engine.commitInterval().toMillis(),
        StreamsConfig.NUM_STREAM_THREADS_CONFIG, engine.threads(),
        StreamsConfig.STATE_DIR_CONFIG, engine.stateDir().toString(),
        StreamsConfig.REPLICATION_FACTOR_CONFIG, replicas,
        StreamsConfig.topicPrefix("min.insync.replicas"),
        Math.min(config.kafka().provisioning().minInsyncReplicas(), replicas),
        StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest"));
  }

  @Override
  public void close() {
    if (silencesApi != null) {
      silencesApi.close();
    }
    if (lagMonitor != null) {
      lagMonitor.close();
      lagProducer.close(Duration.ofSeconds(5));
    }
    dispatchers.forEach(Dispatcher::close);
    dispatcherMetrics.forEach(KafkaClientMetrics::close);
    if (streams != null) {
      streams.close(Duration.ofSeconds(15));
      streamsMetrics.close();
    }
    if (silencesProducer != null) {
      silencesProducer.close(Duration.ofSeconds(5));
    }
  }
}
