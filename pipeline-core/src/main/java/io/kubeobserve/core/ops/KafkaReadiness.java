package io.kubeobserve.core.ops;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's part of readiness: probes the cluster with {@code describeCluster} in the background,
 * so {@code /readyz} answers at once and turns 503 within one interval of losing the brokers.
 */
public final class KafkaReadiness implements ReadinessCheck, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaReadiness.class);

  private final Admin admin;
  private final Duration interval;
  private final ScheduledExecutorService probe;
  private volatile Status status = Status.notReady("not probed yet");

  public KafkaReadiness(Admin admin, Duration interval) {
    this.admin = admin;
    this.interval = interval;
    this.probe = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "kafka-readiness");
      thread.setDaemon(true);
      return thread;
    });
  }

  public KafkaReadiness start() {
    probe.scheduleWithFixedDelay(this::probeOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public Status status() {
    return status;
  }

  private void probeOnce() {
    int timeoutMs = (int) Math.max(500, interval.toMillis());
    Status next;
    try {
      Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
          .nodes().get(timeoutMs + 1000L, TimeUnit.MILLISECONDS);
      next = nodes.isEmpty() ? Status.notReady("no brokers") : Status.ready(nodes.size() + " broker(s)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      next = Status.notReady("unreachable: " + e.getCause().getClass().getSimpleName());
    } catch (TimeoutException e) {
      next = Status.notReady("unreachable: no answer within " + (timeoutMs + 1000) + " ms");
    }
    if (next.ready() != status.ready()) {
      LOG.info("Kafka is now {} ({})", next.ready() ? "reachable" : "unreachable", next.detail());
    }
    status = next;
  }

  @Override
  public void close() {
    probe.shutdownNow();
  }
}
