package io.kubeobserve.core.runtime;

import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.ops.OpsConfig;

/** The keys every service's configuration record has; their defaults are in {@code core-defaults.yaml}. */
public interface ServiceConfig {

  KafkaConfig kafka();

  ClusterConfig cluster();

  OpsConfig ops();
}
