package io.kubeobserve.core.runtime;

import io.kubeobserve.core.kafka.KafkaClients;
import io.kubeobserve.core.kafka.KafkaUnavailableException;
import io.kubeobserve.core.kafka.TopicProvisioner;
import io.kubeobserve.core.ops.KafkaReadiness;
import io.kubeobserve.core.ops.OpsServer;
import io.kubeobserve.core.telemetry.Telemetry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service: the meter registry with JVM, process and Kafka client meters; OpenTelemetry;
 * the ops endpoint (serving before the service starts, so {@code /readyz} answers 503 while Kafka
 * is unreachable); the topics the service writes; then the service itself. {@link #close()} (also
 * run on SIGTERM when {@link #closeOnShutdownSignal()} was called) stops the service within
 * {@code ops.shutdownTimeout}, then everything else.
 */
public final class ServiceRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);
  private static final Duration PROVISIONING_RETRY = Duration.ofSeconds(5);

  private final String serviceName;
  private final ServiceConfig config;
  private final PrometheusMeterRegistry registry;
  private final Telemetry telemetry;
  private final KafkaClients kafkaClients;
  private final Admin admin;
  private final KafkaReadiness kafkaReadiness;
  private final OpsServer ops;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;
  private Service service;

  private ServiceRuntime(String serviceName, ServiceConfig config) {
    this.serviceName = serviceName;
    this.config = config;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags(List.of(Tag.of("service", serviceName), Tag.of("cluster", config.cluster().name())));
    List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
            new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics())
        .forEach(binder -> binder.bindTo(registry));
    this.telemetry = Telemetry.create("kube-observe-" + serviceName);
    this.kafkaClients = new KafkaClients(config.kafka(), "kube-observe-" + serviceName, registry);
    this.admin = kafkaClients.admin("ops");
    this.kafkaReadiness = new KafkaReadiness(admin, config.ops().readinessInterval()).start();
    this.ops = OpsServer.start(config.ops(), registry, () -> !stopping);
    ops.addReadinessCheck(kafkaReadiness);
  }

  /**
   * Starts the ops endpoint, provisions the service's topics (waiting while Kafka is unreachable)
   * and starts the service.
   */
  public static ServiceRuntime start(
      String serviceName, ServiceConfig config, Function<ServiceContext, Service> factory) throws Exception {
    ServiceRuntime runtime = new ServiceRuntime(serviceName, config);
    try {
      runtime.startService(factory);
      return runtime;
    } catch (Exception | Error e) {
      runtime.close();
      throw e;
    }
  }

  private void startService(Function<ServiceContext, Service> factory) throws Exception {
    service = factory.apply(new ServiceContext(serviceName, registry, kafkaClients, telemetry.openTelemetry()));
    service.readinessChecks().forEach(ops::addReadinessCheck);
    TopicProvisioner provisioner = new TopicProvisioner(admin, config.kafka().provisioning());
    while (!stopping) {
      try {
        provisioner.provision(service.topicsWritten());
        break;
      } catch (KafkaUnavailableException e) {
        LOG.warn("{}; retrying in {}s", e.getMessage(), PROVISIONING_RETRY.toSeconds());
        if (stopped.await(PROVISIONING_RETRY.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    }
    service.start();
    LOG.info("{} started (cluster {}, Kafka {})", serviceName, config.cluster().name(),
        String.join(",", config.kafka().bootstrapServers()));
  }

  /** The port of {@code /metrics}, {@code /healthz} and {@code /readyz}. */
  public int opsPort() {
    return ops.port();
  }

  /** Stops gracefully when the JVM is asked to exit (SIGTERM, Ctrl-C). */
  public ServiceRuntime closeOnShutdownSignal() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, serviceName + "-shutdown"));
    return this;
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Stops the service within {@code ops.shutdownTimeout}, then the runtime; safe to call twice. */
  @Override
  public void close() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    LOG.info("{} stopping", serviceName);
    if (service != null) {
      closeWithin(service, config.ops().shutdownTimeout());
    }
    kafkaReadiness.close();
    admin.close(Duration.ofSeconds(5));
    kafkaClients.close();
    ops.close();
    telemetry.close();
    registry.close();
    LOG.info("{} stopped", serviceName);
    stopped.countDown();
  }

  private void closeWithin(Service toClose, Duration timeout) {
    ExecutorService closer = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, serviceName + "-close"));
    Future<?> closing = closer.submit(toClose::close);
    try {
      closing.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.error("{} did not stop within ops.shutdownTimeout={}; exiting anyway", serviceName, timeout);
      closing.cancel(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.error("{} failed while stopping", serviceName, e);
    } finally {
      closer.shutdownNow();
    }
  }
}
