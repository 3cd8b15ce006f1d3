package io.kubeobserve.alerts.stream;

import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.AlertsMetrics;
import io.kubeobserve.alerts.JsonSerde;
import io.kubeobserve.alerts.detect.Observation;
import io.kubeobserve.alerts.dispatch.NotificationContent;
import io.kubeobserve.alerts.dispatch.OutboxEntry;
import io.kubeobserve.alerts.incident.AlertRecords;
import io.kubeobserve.alerts.incident.Incident;
import io.kubeobserve.alerts.incident.IncidentBook;
import io.kubeobserve.alerts.incident.IncidentListener;
import io.kubeobserve.alerts.incident.Routing;
import io.kubeobserve.alerts.notify.Notification;
import io.kubeobserve.alerts.notify.Notification.Kind;
import io.kubeobserve.alerts.silence.Silence;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the {@link IncidentBook} of one partition of observations (keyed by node) on its stores:
 * state changes go to {@code k8s-alerts}, messages to the outbox, both in the same Kafka
 * transaction as the store changes and the input offsets. Timers run on a wall-clock punctuation
 * every {@code engine.tickInterval}.
 */
final class IncidentProcessor implements Processor<String, byte[], Object, Object>, IncidentListener {

  private static final JsonSerde<Observation> OBSERVATIONS = new JsonSerde<>(Observation.class);
  private static final JsonSerde<OutboxEntry> OUTBOX = new JsonSerde<>(OutboxEntry.class);

  private final AlertsConfig config;
  private final List<Silence> configuredSilences;
  private final NotificationContent content;
  private final AlertsMetrics metrics;
  private final Clock clock;
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, Silence> silences;
  private IncidentBook book;
  private KafkaIncidentStore store;
  private String partition;

  IncidentProcessor(AlertsConfig config, List<Silence> configuredSilences, AlertsMetrics metrics, Clock clock) {
    this.config = config;
    this.configuredSilences = configuredSilences;
    this.content = new NotificationContent(config.cluster().name(), config.links());
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.partition = context.taskId().toString();
    this.silences = context.getStateStore(AlertsTopology.SILENCES_STORE);
    this.store = new KafkaIncidentStore(context.getStateStore(AlertsTopology.INCIDENTS_STORE),
        context.getStateStore(AlertsTopology.HEARTBEATS_STORE));
    Routing routing = new Routing(config.routes(), config.defaultReceivers(),
        config.receivers().stream().map(receiver -> receiver.name()).toList());
    this.book = new IncidentBook(config.incidents(), config.heartbeat(), clock, store, routing, this::silenced, this);
    context.schedule(config.engine().tickInterval(), PunctuationType.WALL_CLOCK_TIME, timestamp -> tick());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Observation observation;
    try {
      observation = OBSERVATIONS.decode(record.value());
    } catch (UncheckedIOException e) {
      byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
      context.forward(DeadLetter.of(context, key, record.value(), record.headers(), record.timestamp(),
          e.getMessage()), AlertsTopology.INCIDENTS_DEADLETTER_SINK);
      metrics.deadLettered();
      return;
    }
    if (!book.observe(observation)) {
      metrics.duplicate();
    }
  }

  private void tick() {
    book.tick();
    metrics.open(partition, (int) store.all().stream().filter(Incident::firing).count());
  }

  private boolean silenced(Map<String, String> labels, long nowMillis) {
    for (Silence silence : configuredSilences) {
      if (silence.silences(labels, nowMillis)) {
        return true;
      }
    }
    try (KeyValueIterator<String, Silence> iterator = silences.all()) {
      while (iterator.hasNext()) {
        if (iterator.next().value.silences(labels, nowMillis)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void changed(Incident incident) {
    context.forward(new Record<Object, Object>(incident.fingerprint(),
        AlertRecords.encode(incident, config.cluster().name(), clock.millis()), clock.millis()),
        AlertsTopology.ALERTS_SINK);
  }

  @Override
  public void notify(Incident incident, Kind kind, List<String> receivers, boolean repeat) {
    if (receivers.isEmpty()) {
      metrics.unrouted();
      return;
    }
    Notification notification = content.of(incident, kind, clock.instant());
    for (String receiver : receivers) {
      String id = incident.fingerprint() + ":" + incident.version() + ":" + kind + ":" + receiver;
      OutboxEntry entry = OutboxEntry.of(id, receiver, kind == Kind.FIRING && !repeat, notification);
      context.forward(new Record<Object, Object>(incident.fingerprint(), OUTBOX.encode(entry), clock.millis()),
          AlertsTopology.OUTBOX_SINK);
    }
  }

  @Override
  public void close() {
    metrics.closed(partition);
  }
}
