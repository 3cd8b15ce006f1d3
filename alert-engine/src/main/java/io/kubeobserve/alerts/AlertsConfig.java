package io.kubeobserve.alerts;

import io.kubeobserve.alerts.notify.ReceiverConfig;
import io.kubeobserve.core.config.InvalidValueException;
import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.ops.OpsConfig;
import io.kubeobserve.core.runtime.ServiceConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The alert-engine's configuration; keys and defaults are documented in {@code alerts-defaults.yaml}. */
public record AlertsConfig(KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops, List<ReceiverConfig> receivers)
    implements ServiceConfig {

  public static final String[] DEFAULTS = {"core-defaults.yaml", "alerts-defaults.yaml"};

  public AlertsConfig {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < receivers.size(); i++) {
      if (!names.add(receivers.get(i).name())) {
        throw new InvalidValueException("receivers[" + i + "].name",
            "expected a name no other receiver has, got '" + receivers.get(i).name() + "' twice");
      }
    }
  }
}
