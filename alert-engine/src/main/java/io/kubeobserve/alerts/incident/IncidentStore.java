package io.kubeobserve.alerts.incident;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where {@link IncidentBook} keeps incidents and the agents' latest heartbeats (a changelog-backed store). */
public interface IncidentStore {

  Optional<Incident> get(String fingerprint);

  void put(Incident incident);

  void delete(String fingerprint);

  /** Every incident this store holds (one partition's). */
  List<Incident> all();

  /** Node → wall time of its agent's latest heartbeat. */
  Map<String, Long> heartbeats();

  void heartbeat(String node, long wallMillis);
}
