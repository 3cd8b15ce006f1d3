package io.kubeobserve.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeobserve.core.config.ConfigException;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {

  private static AlertsConfig load(String... sets) {
    return ConfigLoader.load(AlertsConfig.class, new ConfigSources(Optional.empty(), List.of(sets), Map.of()),
        AlertsConfig.DEFAULTS);
  }

  @Test
  void theDefaultsBindWithTheirDocumentedValues() {
    AlertsConfig config = load();
    assertThat(config.engine().applicationId()).isEqualTo("kube-observe-alerts");
    assertThat(config.engine().outboxTopic()).isEqualTo("kube-observe-alerts-outbox");
    assertThat(config.incidents().quietPeriod()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.heartbeat().timeout()).isEqualTo(Duration.ofMinutes(3));
    assertThat(config.thresholds()).extracting(AlertsConfig.ThresholdRule::name)
        .containsExactly("NodeMemoryAvailableLow", "NodeFilesystemAlmostFull", "VolumeAlmostFull");
    assertThat(config.pipelineHealth().lag().interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.pipelineHealth().lag().groups()).extracting(AlertsConfig.LagGroup::group)
        .containsExactly("kube-observe-indexer", "kube-observe-metrics-adapter", "kube-observe-alerts");
  }

  @Test
  void badConsumerLagGroupsNameTheirKey() {
    assertThatThrownBy(() -> load("pipelineHealth.lag.groups[0].threshold=-1"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pipelineHealth.lag.groups[0].threshold")
        .hasMessageContaining("0 or more");
    assertThatThrownBy(() -> load("pipelineHealth.lag.groups[1].group=kube-observe-indexer"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pipelineHealth.lag.groups[1].group")
        .hasMessageContaining("twice");
  }

  @Test
  void aRouteToAnUnknownReceiverNamesTheKeyAndTheReceiversThereAre() {
    assertThatThrownBy(() -> load("receivers[0].name=chat", "receivers[0].type=slack",
        "receivers[0].url=https://hooks.example.com/x", "routes[0].match.namespace=shop",
        "routes[0].receivers={pager}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("routes[0].receivers[0]")
        .hasMessageContaining("[chat]")
        .hasMessageContaining("'pager'");
  }

  @Test
  void badSilencesAndLinkTemplatesNameTheirKey() {
    assertThatThrownBy(() -> load("silences[0].matchers.namespace=x", "silences[0].until=tomorrow",
        "silences[0].comment=c"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("silences[0].until").hasMessageContaining("RFC 3339");
    assertThatThrownBy(() -> load("links[0].name=Logs", "links[0].url=kibana/{pod}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("links[0].url").hasMessageContaining("http");
    assertThatThrownBy(() -> load("engine.commitInterval=0s"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("engine.commitInterval");
  }
}
