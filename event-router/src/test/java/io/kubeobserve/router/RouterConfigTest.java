package io.kubeobserve.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeobserve.core.config.ConfigException;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouterConfigTest {

  private static RouterConfig load(String... sets) {
    return ConfigLoader.load(RouterConfig.class, new ConfigSources(Optional.empty(), List.of(sets), Map.of()),
        RouterConfig.DEFAULTS);
  }

  @Test
  void defaults() {
    RouterConfig config = load();
    assertThat(config.watcher().stateTopic()).isEqualTo("kube-observe-router-state");
    assertThat(config.elasticsearch().templates().priority()).isGreaterThan(100);
    assertThat(config.elasticsearch().dataStreams().logsDataset()).isEqualTo("kubernetes.container_logs");
    assertThat(config.indexer().bulk().maxDocuments()).isEqualTo(5000);
  }

  @Test
  void dataStreamPartsWithoutDashes() {
    assertThatThrownBy(() -> load("elasticsearch.dataStreams.namespace=team-a"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("elasticsearch.dataStreams.namespace");
  }

  @Test
  void templatePriorityAboveTheBuiltInOne() {
    assertThatThrownBy(() -> load("elasticsearch.templates.priority=100"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("elasticsearch.templates.priority");
  }

  @Test
  void leaseTimingsInOrder() {
    assertThatThrownBy(() -> load("watcher.renewDeadline=20s"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("watcher.renewDeadline");
  }

  @Test
  void apiKeyOrBasicAuthNotBoth() {
    assertThatThrownBy(() -> load("elasticsearch.apiKey=abc", "elasticsearch.username=u", "elasticsearch.password=p"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("elasticsearch.apiKey")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("abc"));
  }
}
