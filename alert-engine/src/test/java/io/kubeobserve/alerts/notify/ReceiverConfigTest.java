package io.kubeobserve.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeobserve.core.config.ConfigException;
import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Receivers as {@code receivers[n]} binds them: optional keys, and errors that name the key. */
class ReceiverConfigTest {

  /** The {@code receivers} key alone, bound as the alert-engine binds it. */
  record Receivers(List<ReceiverConfig> receivers) {}

  @TempDir
  Path directory;

  @Test
  void optionalKeysBindAndFallBackToTheirDefaults() throws Exception {
    List<ReceiverConfig> receivers = load("""
        receivers:
          - name: chat
            type: mattermost
            url: https://chat.example.com/hooks/abc
            channel: alerts
            ratePerSecond: 0.5
            burst: 2
            maxElapsed: 30m
          - name: am
            type: alertmanager
            url: http://alertmanager.monitoring:9093/
        """);

    ReceiverConfig chat = receivers.get(0);
    assertThat(chat.channel()).contains("alerts");
    assertThat(DeliveryPolicy.of(chat)).isEqualTo(new DeliveryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30),
        Duration.ofMinutes(30), 0.5, 2));
    assertThat(receivers.get(1).endpoint()).isEqualTo(URI.create("http://alertmanager.monitoring:9093/api/v2/alerts"));
  }

  @Test
  void aBadValueNamesItsKey() {
    assertThatThrownBy(() -> load("""
        receivers:
          - {name: s, type: slack, url: "https://hooks.slack.com/services/T/B/x", burst: 0}
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("receivers[0].burst").hasMessageContaining("expected an integer >= 1, got 0");
    assertThatThrownBy(() -> load("""
        receivers:
          - {name: s, type: slack, url: "https://hooks.slack.com/services/T/B/x", initialBackoff: 1m, maxBackoff: 30s}
        """)).isInstanceOf(ConfigException.class).hasMessageContaining("receivers[0].initialBackoff");
  }

  @Test
  void aKeyForAnotherServiceIsRefused() {
    assertThatThrownBy(() -> load("""
        receivers:
          - {name: s, type: slack, url: "https://hooks.slack.com/services/T/B/x", channel: "#ops"}
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("receivers[0].channel").hasMessageContaining("only on a receiver of type mattermost");
  }

  @Test
  void aBadUrlIsReportedWithoutShowingIt() {
    assertThatThrownBy(() -> load("""
        receivers:
          - {name: s, type: slack, url: "hooks.slack.com/services/T/B/SECRETVALUE"}
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("receivers[0].url").hasMessageContaining("http:// or https://")
        .hasMessageNotContaining("SECRETVALUE");
  }

  private List<ReceiverConfig> load(String yaml) throws Exception {
    Path file = Files.writeString(directory.resolve("alerts.yaml"), yaml);
    return ConfigLoader.load(Receivers.class, new ConfigSources(Optional.of(file), List.of(), Map.of())).receivers();
  }
}
