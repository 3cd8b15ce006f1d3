package io.kubeobserve.alerts.incident;

import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.detect.Observation;
import io.kubeobserve.alerts.detect.Rules;
import io.kubeobserve.alerts.incident.Incident.Status;
import io.kubeobserve.alerts.notify.Notification.Kind;
import io.kubeobserve.alerts.notify.Notification.Labels;
import io.kubeobserve.alerts.notify.Notification.Severity;
import io.kubeobserve.core.contract.RecordUid;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The incident lifecycle of the nodes of one partition: opens incidents from observations, folds
 * further occurrences in, holds back what is inhibited or silenced, repeats, resolves, and tells
 * its {@link IncidentListener} what changed and what to send.
 *
 * <ul>
 *   <li>An occurrence already folded into an incident of its node (the same OOM kill or eviction
 *       from the agent and the router) is a duplicate and changes nothing.
 *   <li>Evictions on a node with a firing pressure incident fold into it; otherwise into one
 *       {@code PodEvicted} incident per node, whose FIRING message waits {@code incidents.groupWait}:
 *       a pressure incident of the node opened meanwhile takes its evictions in. The back-off of a
 *       container with a firing {@code OOMKilled} incident is explained by it and opens nothing.
 *   <li>A FIRING message goes out at once unless an incident of the same node inhibits it
 *       ({@link Rules#inhibits}) or a silence matches; it goes out later when that ends. A RESOLVED
 *       message goes out exactly when a FIRING one did, to the same receivers.
 *   <li>Occurrences folded in after the FIRING message make at most one UPDATED message per
 *       {@code incidents.updateInterval}; a firing incident is repeated every {@code incidents.repeatInterval}.
 * </ul>
 */
public final class IncidentBook {

  private final AlertsConfig.Incidents config;
  private final long heartbeatTimeout;
  private final Clock clock;
  private final IncidentStore store;
  private final Routing routing;
  private final BiPredicate<Map<String, String>, Long> silenced;
  private final IncidentListener listener;

  /**
   * @param silenced whether a silence matches these labels at this wall time
   */
  public IncidentBook(AlertsConfig.Incidents config, AlertsConfig.Heartbeat heartbeat, Clock clock,
      IncidentStore store, Routing routing, BiPredicate<Map<String, String>, Long> silenced,
      IncidentListener listener) {
    this.config = config;
    this.heartbeatTimeout = heartbeat.timeout().toMillis();
    this.clock = clock;
    this.store = store;
    this.routing = routing;
    this.silenced = silenced;
    this.listener = listener;
  }

  /** The incident id of a rule and object. */
  public static String fingerprint(String rule, String object) {
    return RecordUid.occurrence("kube_observe.alert", rule, object);
  }

  /** Applies one observation; returns false when it was a duplicate of an occurrence already folded in. */
  public boolean observe(Observation observation) {
    long now = clock.millis();
    return switch (observation.kind()) {
      case OCCURRENCE -> occurrence(observation, now);
      case CONDITION_RAISED -> {
        Optional<Incident> open =
            store.get(fingerprint(observation.rule(), observation.node())).filter(Incident::firing);
        if (open.isPresent()) {
          yield false;
        }
        open(observation, observation.node(), Status.FIRING, now);
        yield true;
      }
      case CONDITION_CLEARED -> {
        store.get(fingerprint(observation.rule(), observation.node())).filter(Incident::firing)
            .ifPresent(incident -> resolve(incident, now));
        yield true;
      }
      case HEARTBEAT -> {
        store.heartbeat(observation.node(), now);
        store.get(fingerprint(Rules.AGENT_HEARTBEAT_MISSING, observation.node())).filter(Incident::firing)
            .ifPresent(incident -> resolve(incident, now));
        yield true;
      }
      case SAMPLE_BREACHED -> {
        sampleBreached(observation, now);
        yield true;
      }
      case SAMPLE_OK -> {
        store.get(fingerprint(observation.rule(), observation.object())).ifPresent(incident -> {
          if (incident.firing()) {
            resolve(incident, now);
          } else if (incident.status() == Status.PENDING) {
            store.delete(incident.fingerprint());
          }
        });
        yield true;
      }
    };
  }

  /** Timers: quiet-period resolves, held-back and grouped messages, repeats, missing heartbeats, clean-up. */
  public void tick() {
    long now = clock.millis();
    store.heartbeats().forEach((node, last) -> {
      if (now - last >= heartbeatTimeout
          && store.get(fingerprint(Rules.AGENT_HEARTBEAT_MISSING, node)).filter(Incident::firing).isEmpty()) {
        open(heartbeatMissing(node, last), node, Status.FIRING, now);
      }
    });
    for (Incident incident : store.all()) {
      if (incident.status() == Status.RESOLVED) {
        if (now - incident.endedAt() >= config.keepResolved().toMillis()) {
          store.delete(incident.fingerprint());
        }
      } else if (incident.status() == Status.PENDING) {
        if (now - incident.lastOccurrenceAt() >= config.keepResolved().toMillis()) {
          store.delete(incident.fingerprint());
        }
      } else if (Rules.resolvesWhenQuiet(incident.rule())
          && now - incident.lastOccurrenceAt() >= config.quietPeriod().toMillis()) {
        resolve(incident, now);
      } else if (!incident.notified()) {
        sendFiring(incident, now);
      } else if (held(incident, now)) {
        continue;
      } else if (incident.pendingUpdate() && now - incident.lastNotifiedAt() >= config.updateInterval().toMillis()) {
        send(incident, Kind.UPDATED, incident.receivers(), false, now);
      } else if (now - incident.lastNotifiedAt() >= config.repeatInterval().toMillis()) {
        send(incident, Kind.FIRING, incident.receivers(), true, now);
      }
    }
  }

  private boolean occurrence(Observation observation, long now) {
    List<Incident> nodeIncidents = store.all().stream().filter(i -> i.node().equals(observation.node())).toList();
    for (Incident incident : nodeIncidents) {
      if (incident.occurrences().contains(observation.occurrence())) {
        return false;
      }
    }
    if (Rules.POD_EVICTED.equals(observation.rule())) {
      Optional<Incident> pressure = nodeIncidents.stream()
          .filter(i -> i.firing() && Rules.foldsEvictions(i.rule())).findFirst();
      if (pressure.isPresent()) {
        fold(pressure.get(), observation, now);
        return true;
      }
    }
    if (Rules.CRASH_LOOP_BACK_OFF.equals(observation.rule())
        && store.get(fingerprint(Rules.OOM_KILLED, observation.object())).filter(Incident::firing).isPresent()) {
      return true;
    }
    Optional<Incident> open = store.get(fingerprint(observation.rule(), observation.object())).filter(Incident::firing);
    if (open.isPresent()) {
      fold(open.get(), observation, now);
    } else {
      open(observation, observation.object(), Status.FIRING, now);
    }
    return true;
  }

  private void fold(Incident incident, Observation observation, long now) {
    Map<String, String> details = observation.rule().equals(incident.rule()) ? observation.details() : Map.of();
    Incident folded = incident.toBuilder()
        .occurrence(observation.occurrence(), observation.member(), details, observation.lastLogLines(), now).build();
    store.put(folded);
    listener.changed(folded);
  }

  private void sampleBreached(Observation observation, long now) {
    Optional<Incident> existing = store.get(fingerprint(observation.rule(), observation.object()));
    if (existing.isEmpty() || existing.get().status() == Status.RESOLVED) {
      open(observation, observation.object(), observation.forMillis() == 0 ? Status.FIRING : Status.PENDING, now);
      return;
    }
    Incident incident = existing.get();
    if (incident.status() != Status.PENDING) {
      return;
    }
    if (now - incident.openedAt() >= observation.forMillis()) {
      Incident firing = incident.toBuilder().status(Status.FIRING).details(observation.details()).build();
      store.put(firing);
      listener.changed(firing);
      sendFiring(firing, now);
    } else {
      // kept while it breaches: only a pending incident no sample came for is cleaned up
      store.put(incident.toBuilder().sampled(now).build());
    }
  }

  /**
   * Opens an incident; one that resolved before under the same fingerprint continues its version
   * (so states on {@code k8s-alerts} keep distinct ids) and its occurrence ids (so late duplicates
   * are still recognised).
   */
  private void open(Observation observation, String object, Status status, long now) {
    String fingerprint = fingerprint(observation.rule(), object);
    Optional<Incident> previous = store.get(fingerprint);
    List<String> occurrences = new ArrayList<>(previous.map(Incident::occurrences).orElse(List.of()));
    occurrences.add(observation.occurrence());
    if (occurrences.size() > Incident.MAX_OCCURRENCES) {
      occurrences.remove(0);
    }
    Incident opened = new Incident(fingerprint, observation.rule(), observation.node(), object,
        observation.severity(), status, previous.map(Incident::version).orElse(0) + 1,
        observation.signalTimeMillis(), now, now, 0, 1, observation.labels(), observation.podLabels(),
        observation.podAnnotations(), observation.details(),
        observation.member().isEmpty() ? List.of() : List.of(observation.member()),
        observation.lastLogLines(), occurrences, List.of(), false, 0, false);
    if (Rules.foldsEvictions(opened.rule())) {
      opened = absorbWaitingEvictions(opened, now);
    }
    store.put(opened);
    listener.changed(opened);
    if (status == Status.FIRING) {
      sendFiring(opened, now);
    }
  }

  /**
   * A pressure incident takes in the evictions of its node still in their group wait (the agent's
   * eviction signal may arrive before the router's condition): they become its members, and the
   * eviction incident ends without a message.
   */
  private Incident absorbWaitingEvictions(Incident pressure, long now) {
    Optional<Incident> waiting = store.get(fingerprint(Rules.POD_EVICTED, pressure.node()))
        .filter(evictions -> evictions.firing() && !evictions.notified());
    if (waiting.isEmpty()) {
      return pressure;
    }
    Incident evictions = waiting.get();
    Incident merged = evictions.toBuilder().status(Status.RESOLVED).ended(now).build();
    store.put(merged);
    listener.changed(merged);
    return pressure.toBuilder().absorb(evictions).build();
  }

  private void sendFiring(Incident incident, long now) {
    if (Rules.POD_EVICTED.equals(incident.rule()) && now - incident.openedAt() < config.groupWait().toMillis()) {
      return;
    }
    if (!held(incident, now)) {
      send(incident, Kind.FIRING, routing.receivers(incident), false, now);
    }
  }

  /** Inhibited by an incident of its node, or silenced. */
  private boolean held(Incident incident, long now) {
    for (Incident other : store.all()) {
      if (other.firing() && other.node().equals(incident.node()) && Rules.inhibits(other.rule(), incident.rule())) {
        return true;
      }
    }
    return silenced.test(incident.matchLabels(), now);
  }

  private void send(Incident incident, Kind kind, List<String> receivers, boolean repeat, long now) {
    Incident sent = incident.toBuilder().notified(receivers, now).build();
    store.put(sent);
    listener.notify(sent, kind, receivers, repeat);
  }

  private void resolve(Incident incident, long now) {
    Incident resolved = incident.toBuilder().status(Status.RESOLVED).ended(now).build();
    store.put(resolved);
    listener.changed(resolved);
    if (resolved.notified()) {
      listener.notify(resolved, Kind.RESOLVED, resolved.receivers(), false);
    }
  }

  private static Observation heartbeatMissing(String node, long lastWallMillis) {
    return new Observation(Observation.Kind.OCCURRENCE, Rules.AGENT_HEARTBEAT_MISSING, node, node,
        "heartbeat/" + node + "/" + lastWallMillis, "", lastWallMillis, Severity.WARNING,
        Map.of(Labels.NODE, node), Map.of(), Map.of(),
        Map.of("Last heartbeat", Instant.ofEpochMilli(lastWallMillis).toString()), List.of(), 0, 0);
  }
}
