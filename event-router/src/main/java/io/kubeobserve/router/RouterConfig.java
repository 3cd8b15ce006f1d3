package io.kubeobserve.router;

import io.kubeobserve.core.config.InvalidValueException;
import io.kubeobserve.core.config.Secret;
import io.kubeobserve.core.config.Validate;
import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.kubernetes.KubernetesConfig;
import io.kubeobserve.core.ops.OpsConfig;
import io.kubeobserve.core.runtime.ServiceConfig;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The event-router's configuration; keys and defaults are documented in {@code router-defaults.yaml}. */
public record RouterConfig(
    KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops, KubernetesConfig kubernetes, Elasticsearch elasticsearch)
    implements ServiceConfig {

  public static final String[] DEFAULTS = {"core-defaults.yaml", "router-defaults.yaml"};

  public record Elasticsearch(List<URI> urls, Optional<String> username, Optional<Secret> password,
      Optional<Secret> apiKey) {
    public Elasticsearch {
      if (urls.isEmpty()) {
        throw new InvalidValueException("urls", "expected at least one URL");
      }
      urls.forEach(url -> Validate.httpUrl("urls", url));
      if (username.isPresent() != password.isPresent()) {
        throw new InvalidValueException(username.isPresent() ? "password" : "username",
            "expected username and password together");
      }
    }
  }
}
