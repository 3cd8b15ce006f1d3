package io.kubeobserve.core.kafka;

/** The {@link TopicSpec}s of the contract's topics, named and retained as configured. */
public final class ContractTopics {

  private final KafkaConfig config;

  public ContractTopics(KafkaConfig config) {
    this.config = config;
  }

  public TopicSpec logs() {
    return TopicSpec.stream(config.topics().logs(), config.provisioning().retention().logs());
  }

  public TopicSpec metrics() {
    return TopicSpec.stream(config.topics().metrics(), config.provisioning().retention().metrics());
  }

  public TopicSpec events() {
    return TopicSpec.stream(config.topics().events(), config.provisioning().retention().events());
  }

  /** Incident state changes: compacted, the latest state per incident fingerprint. */
  public TopicSpec alerts() {
    return TopicSpec.state(config.topics().alerts());
  }

  public TopicSpec deadletter() {
    return TopicSpec.stream(config.topics().deadletter(), config.provisioning().retention().deadletter());
  }
}
