package io.kubeobserve.alerts.stream;

import io.kubeobserve.alerts.incident.Incident;
import io.kubeobserve.alerts.incident.IncidentStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link IncidentStore} over the processor's two changelog-backed Kafka Streams stores. */
final class KafkaIncidentStore implements IncidentStore {

  private final KeyValueStore<String, Incident> incidents;
  private final KeyValueStore<String, Long> heartbeats;

  KafkaIncidentStore(KeyValueStore<String, Incident> incidents, KeyValueStore<String, Long> heartbeats) {
    this.incidents = incidents;
    this.heartbeats = heartbeats;
  }

  @Override
  public Optional<Incident> get(String fingerprint) {
    return Optional.ofNullable(incidents.get(fingerprint));
  }

  @Override
  public void put(Incident incident) {
    incidents.put(incident.fingerprint(), incident);
  }

  @Override
  public void delete(String fingerprint) {
    incidents.delete(fingerprint);
  }

  @Override
  public List<Incident> all() {
    List<Incident> all = new ArrayList<>();
    try (KeyValueIterator<String, Incident> iterator = incidents.all()) {
      iterator.forEachRemaining(entry -> all.add(entry.value));
    }
    return all;
  }

  @Override
  public Map<String, Long> heartbeats() {
    Map<String, Long> all = new HashMap<>();
    try (KeyValueIterator<String, Long> iterator = heartbeats.all()) {
      while (iterator.hasNext()) {
        KeyValue<String, Long> entry = iterator.next();
        all.put(entry.key, entry.value);
      }
    }
    return all;
  }

  @Override
  public void heartbeat(String node, long wallMillis) {
    heartbeats.put(node, wallMillis);
  }
}
