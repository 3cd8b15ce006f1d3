package io.kubeobserve.router.index;

import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch.cluster.HealthResponse;
import io.kubeobserve.core.ops.ReadinessCheck;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch's part of readiness and the {@code kube_observe.router.elasticsearch.up} gauge:
 * cluster health probed in the background (not {@code GET /}, which some distributions lack).
 * Ready unless the cluster is unreachable, refuses the credentials, or is red.
 */
public final class ElasticsearchHealth implements ReadinessCheck, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchHealth.class);

  private final ElasticsearchConnection connection;
  private final Duration interval;
  private final ScheduledExecutorService probe;
  private volatile Status status = Status.notReady("not probed yet");

  public ElasticsearchHealth(ElasticsearchConnection connection, Duration interval, MeterRegistry registry) {
    this.connection = connection;
    this.interval = interval;
    this.probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "elasticsearch-health");
      thread.setDaemon(true);
      return thread;
    });
    Gauge.builder("kube_observe.router.elasticsearch.up", this, health -> health.status.ready() ? 1 : 0)
        .description("1 when the last cluster health probe succeeded and the cluster was not red").register(registry);
  }

  public ElasticsearchHealth start() {
    probe.scheduleWithFixedDelay(this::probeOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public String name() {
    return "elasticsearch";
  }

  @Override
  public Status status() {
    return status;
  }

  private void probeOnce() {
    Status next;
    try {
      HealthResponse health = connection.client().cluster().health();
      next = health.status() == HealthStatus.Red
          ? Status.notReady("cluster " + health.clusterName() + " is red")
          : Status.ready("cluster " + health.clusterName() + " is " + health.status().jsonValue());
    } catch (Exception e) {
      String kind = e instanceof co.elastic.clients.elasticsearch._types.ElasticsearchException ? "refused" : "unreachable";
      next = Status.notReady(kind + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (next.ready() != status.ready()) {
      LOG.info("Elasticsearch is now {} ({})", next.ready() ? "available" : "unavailable", next.detail());
    }
    status = next;
  }

  @Override
  public void close() {
    probe.shutdownNow();
  }
}
