package io.kubeobserve.adapter;

import io.kubeobserve.core.config.Validate;
import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.ops.OpsConfig;
import io.kubeobserve.core.runtime.ServiceConfig;

/** The metrics-adapter's configuration; keys and defaults are documented in {@code adapter-defaults.yaml}. */
public record AdapterConfig(KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops, Exposition exposition)
    implements ServiceConfig {

  public static final String[] DEFAULTS = {"core-defaults.yaml", "adapter-defaults.yaml"};

  public record Exposition(int port, String address) {
    public Exposition {
      Validate.port("port", port);
      Validate.notBlank("address", address);
    }
  }
}
