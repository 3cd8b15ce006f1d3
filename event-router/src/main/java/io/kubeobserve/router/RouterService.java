package io.kubeobserve.router;

import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.core.runtime.Service;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-router: watches cluster Events and Node conditions into Kafka, and indexes logs and
 * events from Kafka into Elasticsearch. Neither the watcher nor the indexer is built yet: the
 * service provisions the topics it writes and serves its ops endpoint.
 */
public final class RouterService implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(RouterService.class);

  private final RouterConfig config;

  public RouterService(RouterConfig config) {
    this.config = config;
  }

  @Override
  public List<TopicSpec> topicsWritten() {
    ContractTopics topics = new ContractTopics(config.kafka());
    return List.of(topics.events(), topics.deadletter());
  }

  @Override
  public void start() {
    LOG.info("event-router is running with its ops endpoint only: the watcher and the indexer are not built yet");
  }

  @Override
  public void close() {}
}
