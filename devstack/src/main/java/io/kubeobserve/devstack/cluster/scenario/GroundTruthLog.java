package io.kubeobserve.devstack.cluster.scenario;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ground truth of a scenario run, in the order things happened, with listeners told of each new one. Thread-safe. */
public final class GroundTruthLog {

  private static final Logger log = LoggerFactory.getLogger(GroundTruthLog.class);

  private final List<GroundTruth> entries = new CopyOnWriteArrayList<>();
  private final List<Consumer<GroundTruth>> listeners = new CopyOnWriteArrayList<>();

  void record(GroundTruth truth) {
    entries.add(requireNonNull(truth, "truth"));
    log.info("scenario: {}", truth.summary());
    for (Consumer<GroundTruth> listener : listeners) {
      try {
        listener.accept(truth);
      } catch (RuntimeException e) {
        log.warn("ground truth listener failed", e);
      }
    }
  }

  /** Calls {@code listener} with every entry recorded from now on (on the scenario's thread). */
  public void onRecord(Consumer<GroundTruth> listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /** Everything recorded so far, oldest first. */
  public List<GroundTruth> all() {
    return List.copyOf(entries);
  }

  /** The entries of {@code signal} so far. */
  public List<GroundTruth> of(Signal signal) {
    return matching(truth -> truth.signal() == signal);
  }

  /** The entries matching {@code filter} so far. */
  public List<GroundTruth> matching(Predicate<GroundTruth> filter) {
    return entries.stream().filter(filter).toList();
  }

  @Override
  public String toString() {
    return "GroundTruthLog[" + entries.size() + " entries]";
  }
}
