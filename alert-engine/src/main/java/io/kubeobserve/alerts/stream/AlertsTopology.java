package io.kubeobserve.alerts.stream;

import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.AlertsMetrics;
import io.kubeobserve.alerts.JsonSerde;
import io.kubeobserve.alerts.detect.DeadLetterDetector;
import io.kubeobserve.alerts.detect.EventDetector;
import io.kubeobserve.alerts.detect.MetricDetector;
import io.kubeobserve.alerts.incident.Incident;
import io.kubeobserve.alerts.silence.Silence;
import io.kubeobserve.core.contract.OtlpCodec;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The engine's Kafka Streams topology:
 * <pre>
 * k8s-events     ─► detect-events  ─┐                               ┌─► k8s-alerts (incident states)
 * k8s-metrics    ─► detect-metrics ─┼─► &lt;app&gt;-observations ─► incidents ─┤
 * k8s-deadletter ─► detect-deadletters ─┘ (keyed by node)  [stores]  └─► &lt;app&gt;-outbox (messages)
 *        (records that do not decode ─► k8s-deadletter)
 * &lt;app&gt;-silences ─► global store "silences" (read by incidents)
 * </pre>
 * The observations topic re-keys everything by node, so one task decides all incidents of a
 * node (grouping, inhibition, duplicates across producers). Stores: {@code incidents}
 * (fingerprint → {@link Incident}) and {@code heartbeats} (node → wall time), both changelogged.
 */
public final class AlertsTopology {

  static final String OBSERVATIONS_SINK = "observations-sink";
  static final String DEADLETTER_SINK = "deadletter-sink";
  static final String INCIDENTS_DEADLETTER_SINK = "incidents-deadletter-sink";
  static final String ALERTS_SINK = "alerts-sink";
  static final String OUTBOX_SINK = "outbox-sink";
  public static final String INCIDENTS_STORE = "incidents";
  static final String HEARTBEATS_STORE = "heartbeats";
  /** The global store of silences from the API, queryable by name. */
  public static final String SILENCES_STORE = "silences";

  private AlertsTopology() {}

  /** The topics the engine reads from outside: the pipeline's events, metrics and dead letters. */
  public static List<String> inputTopics(AlertsConfig config) {
    return List.of(config.kafka().topics().events(), config.kafka().topics().metrics(),
        config.kafka().topics().deadletter());
  }

  /** The topic observations are re-keyed through. */
  public static String observationsTopic(AlertsConfig config) {
    return config.engine().applicationId() + "-observations";
  }

  public static Topology build(AlertsConfig config, List<Silence> configuredSilences, AlertsMetrics metrics,
      Clock clock) {
    MetricDetector metricDetector = new MetricDetector(config.thresholds());
    Topology topology = new Topology();
    topology.addSource("events", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        config.kafka().topics().events());
    topology.addProcessor("detect-events", () -> new DetectionProcessor((record, source) -> {
      EventDetector.Detection detection = EventDetector.detect(OtlpCodec.decodeLogs(record.value()));
      if (detection.unplaced() > 0) {
        metrics.unplaced(detection.unplaced());
      }
      return detection.observations();
    }, metrics), "events");
    topology.addSource("metrics", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        config.kafka().topics().metrics());
    topology.addProcessor("detect-metrics", () -> new DetectionProcessor(
        (record, source) -> metricDetector.detect(OtlpCodec.decodeMetrics(record.value())), metrics), "metrics");
    topology.addSource("deadletters", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        config.kafka().topics().deadletter());
    topology.addProcessor("detect-deadletters", () -> new DetectionProcessor((record, source) -> List.of(
        DeadLetterDetector.detect(record.headers(), source.partition(), source.offset(), record.timestamp())),
        metrics), "deadletters");
    topology.addSink(OBSERVATIONS_SINK, observationsTopic(config), new StringSerializer(), new ByteArraySerializer(),
        "detect-events", "detect-metrics", "detect-deadletters");

    topology.addSource("observations", new StringDeserializer(), new ByteArrayDeserializer(),
        observationsTopic(config));
    topology.addProcessor("incidents", () -> new IncidentProcessor(config, configuredSilences, metrics, clock),
        "observations");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(INCIDENTS_STORE),
        Serdes.String(), new JsonSerde<>(Incident.class)), "incidents");
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEARTBEATS_STORE),
        Serdes.String(), Serdes.Long()), "incidents");
    topology.addSink(ALERTS_SINK, config.kafka().topics().alerts(), new StringSerializer(), new ByteArraySerializer(),
        "incidents");
    topology.addSink(OUTBOX_SINK, config.engine().outboxTopic(), new StringSerializer(), new ByteArraySerializer(),
        "incidents");
    // one dead-letter sink per stage: a sink shared by both would join them into one sub-topology
    topology.addSink(DEADLETTER_SINK, config.kafka().topics().deadletter(), new ByteArraySerializer(),
        new ByteArraySerializer(), "detect-events", "detect-metrics");
    topology.addSink(INCIDENTS_DEADLETTER_SINK, config.kafka().topics().deadletter(), new ByteArraySerializer(),
        new ByteArraySerializer(), "incidents");

    JsonSerde<Silence> silenceSerde = new JsonSerde<>(Silence.class);
    topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SILENCES_STORE),
            Serdes.String(), silenceSerde).withLoggingDisabled(),
        "silences-source", new StringDeserializer(), silenceSerde.deserializer(), config.engine().silencesTopic(),
        "silences-loader", SilenceLoader::new);
    return topology;
  }

  /** Keeps the global silences store equal to the compacted silences topic. */
  private static final class SilenceLoader implements Processor<String, Silence, Void, Void> {
    private KeyValueStore<String, Silence> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(SILENCES_STORE);
    }

    @Override
    public void process(Record<String, Silence> record) {
      if (record.value() == null) {
        store.delete(record.key());
      } else {
        store.put(record.key(), record.value());
      }
    }
  }
}
