package io.kubeobserve.agent.signals;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One occurrence of a pod signal, as read from a pod's status.
 *
 * @param eventName its {@code event.name} ({@link io.kubeobserve.core.contract.EventNames})
 * @param occurrenceId its {@code log.record.uid}: the same occurrence always gets the same id
 * @param aliases further keys of the same occurrence (the terminated instance's container id), so
 *     that it is recognised when a later status shows it under another restart count
 * @param podUid the pod
 * @param container the container, empty for pod signals
 * @param restartCount the restart count the status showed
 * @param logInstance for a terminated container: which {@code <n>.log} holds its last lines
 * @param time when it happened, as far as the status says (else when it was seen)
 * @param body a sentence for people
 * @param attributes the signal's own log record attributes
 */
public record PodSignal(String eventName, String occurrenceId, List<String> aliases, String podUid, String container,
    int restartCount, Optional<Integer> logInstance, Instant time, String body, List<KeyValue> attributes) {

  public PodSignal {
    aliases = List.copyOf(aliases);
    attributes = List.copyOf(attributes);
  }

  /** Every key the occurrence is known by: its id and its aliases. */
  public List<String> keys() {
    if (aliases.isEmpty()) {
      return List.of(occurrenceId);
    }
    java.util.ArrayList<String> keys = new java.util.ArrayList<>(aliases.size() + 1);
    keys.add(occurrenceId);
    keys.addAll(aliases);
    return keys;
  }
}
