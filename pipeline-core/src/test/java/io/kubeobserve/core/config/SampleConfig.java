package io.kubeobserve.core.config;

import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.ops.OpsConfig;
import io.kubeobserve.core.runtime.ServiceConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A service configuration exercising every kind of key the binder supports. */
record SampleConfig(
    KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops, Elasticsearch elasticsearch, List<Receiver> receivers,
    Logs logs) implements ServiceConfig {

  record Elasticsearch(
      List<URI> urls, Optional<String> username, Optional<Secret> password, int bulkSize, Duration flushInterval) {
    Elasticsearch {
      urls.forEach(url -> Validate.httpUrl("urls", url));
      Validate.atLeast("bulkSize", 1, bulkSize);
    }
  }

  record Receiver(String name, Kind type, Secret url) {
    enum Kind { SLACK, TEAMS, WEBHOOK }
  }

  record Logs(Path root, StartAt startAt) {
    enum StartAt { BEGINNING, END }
  }
}
