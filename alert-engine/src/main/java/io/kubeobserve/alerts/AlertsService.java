package io.kubeobserve.alerts;

import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.core.runtime.Service;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert-engine: turns OOM kills, evictions and node pressure into incidents and sends them to
 * chat. Detectors, incidents and notifiers are not built yet: the service provisions the topics it
 * writes and serves its ops endpoint.
 */
public final class AlertsService implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(AlertsService.class);

  private final AlertsConfig config;

  public AlertsService(AlertsConfig config) {
    this.config = config;
  }

  @Override
  public List<TopicSpec> topicsWritten() {
    ContractTopics topics = new ContractTopics(config.kafka());
    return List.of(topics.alerts(), topics.deadletter());
  }

  @Override
  public void start() {
    LOG.info("alert-engine is running with its ops endpoint only ({} receiver(s) configured): "
        + "detectors and notifiers are not built yet", config.receivers().size());
  }

  @Override
  public void close() {}
}
