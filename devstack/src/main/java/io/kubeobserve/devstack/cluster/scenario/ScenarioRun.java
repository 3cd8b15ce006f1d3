package io.kubeobserve.devstack.cluster.scenario;

import static java.util.Objects.requireNonNull;

import io.kubeobserve.devstack.cluster.SimulatedCluster;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scenario} playing on a started {@link SimulatedCluster}: each step runs at its scenario
 * time on the cluster's scheduler (one thread, so steps never run at once), and everything that
 * happens goes to the {@link #groundTruth()}. {@link #close()} cancels what has not run yet (safe
 * twice); closing the cluster also stops it.
 */
public final class ScenarioRun implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ScenarioRun.class);

  private final Scenario scenario;
  private final Instant startedAt;
  private final GroundTruthLog groundTruth = new GroundTruthLog();
  private final List<ScheduledFuture<?>> pending = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private ScenarioRun(Scenario scenario, Instant startedAt) {
    this.scenario = scenario;
    this.startedAt = startedAt;
  }

  /** Starts playing {@code scenario} on {@code cluster} now (scenario time). */
  public static ScenarioRun start(SimulatedCluster cluster, Scenario scenario) {
    requireNonNull(cluster, "cluster");
    requireNonNull(scenario, "scenario");
    ScenarioRun run = new ScenarioRun(scenario, cluster.clock().instant());
    for (Step step : scenario.steps()) {
      IncidentContext context = new IncidentContext(cluster, step.action().type(), run.groundTruth, run.startedAt,
          run.pending);
      run.pending.add(cluster.scheduler().schedule(() -> run.begin(context, step), step.at()));
    }
    log.info("scenario {} started: {} steps", scenario.name(), scenario.steps().size());
    return run;
  }

  private void begin(IncidentContext context, Step step) {
    if (closed.get()) {
      return;
    }
    log.info("scenario {}: step {} at +{}", scenario.name(), step.action().type(), step.at());
    Action action = step.action();
    if (action instanceof Action.OomKill oomKill) {
      OomKillIncident.start(context, oomKill);
    } else if (action instanceof Action.CrashLoop crashLoop) {
      CrashLoopIncident.start(context, crashLoop);
    } else if (action instanceof Action.EvictionStorm storm) {
      EvictionIncident.start(context, storm);
    } else if (action instanceof Action.NodePressure pressure) {
      EvictionIncident.start(context, pressure);
    } else if (action instanceof Action.NodeNotReady notReady) {
      NodeNotReadyIncident.start(context, notReady);
    }
  }

  public Scenario scenario() {
    return scenario;
  }

  /** The scenario time the run started at; step times and ground truth offsets count from it. */
  public Instant startedAt() {
    return startedAt;
  }

  /** What happened so far. */
  public GroundTruthLog groundTruth() {
    return groundTruth;
  }

  /** Cancels the steps and phases that have not run yet. Safe to call twice. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pending.forEach(future -> future.cancel(false));
    }
  }
}
