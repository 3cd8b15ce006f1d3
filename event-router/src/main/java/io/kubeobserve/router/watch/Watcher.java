package io.kubeobserve.router.watch;

import io.kubeobserve.core.kafka.KafkaClients;
import io.kubeobserve.router.RouterConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watcher: competes for the Lease ({@code watcher.leaseNamespace}/{@code leaseName}) with
 * client-java's {@link LeaderElector}; while leading, runs a {@link WatchTerm}. A standby takes
 * over at most {@code leaseDuration} after the leader stopped renewing; its first act, before it
 * reads the state topic, is to fence the previous leader's Kafka producer, so a deposed leader
 * that still runs cannot write either.
 *
 * <p>Lifecycle: {@link #start()}, then {@link #close()} (safe twice).
 */
public final class Watcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

  private final RouterConfig config;
  private final KubernetesApi api;
  private final KafkaClients kafkaClients;
  private final MeterRegistry registry;
  private final WatchListener listener;
  private final EventRecords records;
  private final String identity;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object lock = new Object();
  private volatile LeaderElector elector;
  private volatile boolean leading;
  private WatchTerm term;
  private Thread election;

  public Watcher(RouterConfig config, KubernetesApi api, KafkaClients kafkaClients, MeterRegistry registry,
      WatchListener listener, Clock clock) {
    this.config = config;
    this.api = api;
    this.kafkaClients = kafkaClients;
    this.registry = registry;
    this.listener = listener;
    this.records = new EventRecords(config.cluster().name(), clock);
    this.identity = config.watcher().identity().orElseGet(Watcher::defaultIdentity);
    Gauge.builder("kube_observe.router.watch.leader", this, watcher -> watcher.leading ? 1 : 0)
        .description("1 while this replica is the active watcher").register(registry);
  }

  private static String defaultIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "event-router";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public String identity() {
    return identity;
  }

  public boolean isLeading() {
    return leading;
  }

  public void start() {
    election = new Thread(this::electionLoop, "watcher-election");
    election.setDaemon(true);
    election.start();
    LOG.info("watcher {} competing for Lease {}/{}", identity, config.watcher().leaseNamespace(),
        config.watcher().leaseName());
  }

  private void electionLoop() {
    RouterConfig.Watcher settings = config.watcher();
    while (!closed.get()) {
      LeaderElector current = new LeaderElector(new LeaderElectionConfig(
          api.leaseLock(settings.leaseNamespace(), settings.leaseName(), identity),
          settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod()),
          error -> LOG.warn("watcher {}: leader election: {}", identity, error.toString()));
      elector = current;
      if (closed.get()) {
        current.close();
        return;
      }
      try {
        current.run(this::startLeading, this::stopLeading);
      } catch (RuntimeException e) {
        LOG.warn("watcher {}: leader election failed ({}); competing again", identity, e.toString());
      } finally {
        stopLeading();
        current.close();
      }
    }
  }

  private void startLeading() {
    synchronized (lock) {
      if (closed.get() || term != null) {
        return;
      }
      LOG.info("watcher {} is now the leader", identity);
      leading = true;
      term = new WatchTerm(config, api, kafkaClients, records, identity, listener, registry);
    }
    try {
      term.start();
    } catch (RuntimeException e) {
      LOG.error("watcher {}: could not start watching; giving up the lease", identity, e);
      stopLeading();
      LeaderElector current = elector;
      if (current != null) {
        current.close();
      }
    }
  }

  private void stopLeading() {
    WatchTerm ending;
    synchronized (lock) {
      ending = term;
      term = null;
      leading = false;
    }
    if (ending != null) {
      LOG.info("watcher {} is no longer the leader", identity);
      ending.close();
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopLeading();
    LeaderElector current = elector;
    if (current != null) {
      current.close();
    }
    if (election != null) {
      try {
        election.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
