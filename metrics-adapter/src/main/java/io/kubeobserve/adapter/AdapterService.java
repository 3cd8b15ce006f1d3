package io.kubeobserve.adapter;

import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.core.runtime.Service;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics-adapter: serves the metrics of {@code k8s-metrics} to Prometheus. The relay is not
 * built yet: the service provisions the topic it writes and serves its ops endpoint.
 */
public final class AdapterService implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(AdapterService.class);

  private final AdapterConfig config;

  public AdapterService(AdapterConfig config) {
    this.config = config;
  }

  @Override
  public List<TopicSpec> topicsWritten() {
    return List.of(new ContractTopics(config.kafka()).deadletter());
  }

  @Override
  public void start() {
    LOG.info("metrics-adapter is running with its ops endpoint only: the exposition on port {} is not built yet",
        config.exposition().port());
  }

  @Override
  public void close() {}
}
