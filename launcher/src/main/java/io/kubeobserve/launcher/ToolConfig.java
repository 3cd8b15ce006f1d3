package io.kubeobserve.launcher;

import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.ops.OpsConfig;
import io.kubeobserve.core.runtime.ServiceConfig;

/** The configuration of the debug tools ({@code tail}): the keys every service has. */
record ToolConfig(KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops) implements ServiceConfig {

  static final String[] DEFAULTS = {"core-defaults.yaml"};
}
