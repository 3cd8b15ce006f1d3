package io.kubeobserve.alerts.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.alerts.AlertsConfig.LagGroup;
import io.kubeobserve.alerts.detect.Observation.Kind;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

  private static final LagGroup GROUP = new LagGroup("kube-observe-metrics-adapter", 100, Duration.ofMinutes(5));

  @Test
  void theLagOfEachTopicIsTheEndMinusTheCommittedOffsetOverItsPartitions() {
    Map<TopicPartition, Long> committed = Map.of(
        new TopicPartition("k8s-metrics", 0), 10L,
        new TopicPartition("k8s-metrics", 1), 50L,
        new TopicPartition("k8s-events", 0), 7L,
        new TopicPartition("k8s-gone", 0), 3L);
    Map<TopicPartition, Long> ends = Map.of(
        new TopicPartition("k8s-metrics", 0), 110L,
        new TopicPartition("k8s-metrics", 1), 50L,
        // read before a commit that went past it
        new TopicPartition("k8s-events", 0), 5L);

    assertThat(ConsumerLag.byTopic(committed, ends)).containsExactly(Map.entry("k8s-events", 0L),
        Map.entry("k8s-metrics", 100L));
  }

  @Test
  void aGroupIsBreachedOnlyWhenMoreRecordsBehindThanItsThreshold() {
    Observation at = ConsumerLag.observation(GROUP, Map.of("k8s-metrics", 60L, "k8s-events", 40L), 1_000);
    Observation over = ConsumerLag.observation(GROUP, Map.of("k8s-metrics", 101L), 2_000);

    assertThat(at.kind()).isEqualTo(Kind.SAMPLE_OK);
    assertThat(over.kind()).isEqualTo(Kind.SAMPLE_BREACHED);
    assertThat(over.rule()).isEqualTo(Rules.CONSUMER_LAG);
    assertThat(over.object()).as("one incident per group").isEqualTo(at.object())
        .isEqualTo("kube-observe-metrics-adapter");
    assertThat(over.node()).as("keyed like the other pipeline-health observations").isEmpty();
    assertThat(over.forMillis()).isEqualTo(Duration.ofMinutes(5).toMillis());
    assertThat(over.details()).containsEntry("Consumer group", "kube-observe-metrics-adapter")
        .containsEntry("Lag", "101 records").containsEntry("Threshold", "above 100 records");
  }
}
