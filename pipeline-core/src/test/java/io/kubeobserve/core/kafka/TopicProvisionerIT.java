package io.kubeobserve.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

@WithKafka
class TopicProvisionerIT {

  private static final TopicProvisioning ONE_BROKER = new TopicProvisioning(true, 3, 1, 1,
      new TopicProvisioning.Retention(Duration.ofDays(3), Duration.ofDays(1), Duration.ofDays(14), Duration.ofDays(14)));

  @Test
  void createsMissingTopicsWithTheirSettingsAndLeavesExistingOnesAlone(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicProvisioner provisioner = new TopicProvisioner(admin, ONE_BROKER);
      List<TopicSpec> topics = List.of(
          TopicSpec.stream("prov-logs", Duration.ofDays(3)), TopicSpec.state("prov-alerts"));

      TopicProvisioner.Report first = provisioner.provision(topics);
      TopicProvisioner.Report second = provisioner.provision(topics);

      assertThat(first.created()).containsExactly("prov-logs", "prov-alerts");
      assertThat(first.problems()).isEmpty();
      assertThat(second.created()).isEmpty();
      assertThat(second.problems()).isEmpty();
      assertThat(admin.describeTopics(Set.of("prov-logs")).allTopicNames().get().get("prov-logs").partitions())
          .hasSize(3);
      Config logs = topicConfig(admin, "prov-logs");
      assertThat(logs.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(3).toMillis()));
      assertThat(logs.get("cleanup.policy").value()).isEqualTo("delete");
      assertThat(topicConfig(admin, "prov-alerts").get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  @Test
  void reportsAnExistingTopicWhoseSettingsBreakAGuarantee(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("prov-state-not-compacted", 1, (short) 1))).all().get();
      TopicProvisioning wantsTwoReplicas = new TopicProvisioning(true, 1, 2, 2, ONE_BROKER.retention());

      TopicProvisioner.Report report = new TopicProvisioner(admin, wantsTwoReplicas)
          .provision(List.of(TopicSpec.state("prov-state-not-compacted")));

      assertThat(report.created()).isEmpty();
      assertThat(report.problems()).containsExactly(
          "the Kafka cluster has 1 broker(s), fewer than kafka.provisioning.replicationFactor=2: topics get at most "
              + "1 replica(s), and an acknowledged record can be lost with a broker",
          "topic prov-state-not-compacted holds state but has cleanup.policy=delete: expected compact, "
              + "or its state is lost when retention deletes it");
    }
  }

  @Test
  void createsTopicsOnASmallerClusterThanConfiguredAndSaysSo(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicProvisioning production = new TopicProvisioning(true, 1, 3, 2, ONE_BROKER.retention());

      TopicProvisioner.Report report = new TopicProvisioner(admin, production)
          .provision(List.of(TopicSpec.stream("prov-dev-cluster", Duration.ofDays(1))));

      assertThat(report.created()).containsExactly("prov-dev-cluster");
      assertThat(report.problems()).singleElement().asString().startsWith("the Kafka cluster has 1 broker(s)");
      assertThat(topicConfig(admin, "prov-dev-cluster").get("min.insync.replicas").value()).isEqualTo("1");
    }
  }

  private static Config topicConfig(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
  }
}
