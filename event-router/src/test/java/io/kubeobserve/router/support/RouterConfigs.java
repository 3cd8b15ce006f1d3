package io.kubeobserve.router.support;

import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.router.RouterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Router configurations for tests: one broker replica, random ops port, fast readiness, then the test's sets. */
public final class RouterConfigs {

  private RouterConfigs() {}

  public static RouterConfig load(String bootstrapServers, String... sets) {
    List<String> all = new ArrayList<>(List.of(
        "kafka.bootstrapServers=" + bootstrapServers,
        "kafka.provisioning.replicationFactor=1",
        "kafka.provisioning.minInsyncReplicas=1",
        "kafka.provisioning.partitions=3",
        "ops.port=0",
        "ops.address=127.0.0.1",
        "ops.readinessInterval=500ms",
        "cluster.name=test-cluster",
        "elasticsearch.templates.replicas=0",
        "elasticsearch.templates.refreshInterval=1s",
        "indexer.bulk.linger=200ms",
        "indexer.retry.maxBackoff=1s"));
    all.addAll(List.of(sets));
    return ConfigLoader.load(RouterConfig.class, new ConfigSources(Optional.empty(), all, Map.of()),
        RouterConfig.DEFAULTS);
  }
}
