package io.kubeobserve.core.runtime;

import io.kubeobserve.core.contract.ClusterConfig;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.ops.OpsConfig;

/** A service configuration with only the keys every service has. */
record CoreOnlyConfig(KafkaConfig kafka, ClusterConfig cluster, OpsConfig ops) implements ServiceConfig {}
