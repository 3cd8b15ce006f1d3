package io.kubeobserve.core.kafka;

import io.kubeobserve.core.config.Validate;
import io.kubeobserve.core.contract.Topics;
import java.util.List;
import java.util.Map;

/**
 * {@code kafka.*}: how a service reaches Kafka.
 *
 * @param bootstrapServers {@code host:port} list
 * @param topics topic names of the contract
 * @param properties passed to every Kafka client verbatim (TLS, SASL, ...); values whose key
 *     names a password, secret or JAAS config are never logged
 * @param provisioning how the service creates the topics it writes when they are missing
 */
public record KafkaConfig(
    List<String> bootstrapServers, Topics topics, Map<String, String> properties, TopicProvisioning provisioning) {

  public KafkaConfig {
    bootstrapServers = Validate.hostPorts("bootstrapServers", bootstrapServers);
    properties = Map.copyOf(properties);
  }
}
