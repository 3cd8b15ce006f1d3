package io.kubeobserve.alerts.notify;

import io.kubeobserve.core.config.Secret;
import io.kubeobserve.core.config.Validate;

/** A chat or webhook destination ({@code receivers[n]}); its URL is a secret and never printed. */
public record ReceiverConfig(String name, Type type, Secret url) {
  public ReceiverConfig {
    Validate.notBlank("name", name);
  }

  public enum Type { SLACK, TEAMS, DISCORD, GOOGLECHAT, MATTERMOST, WEBHOOK, ALERTMANAGER }
}
