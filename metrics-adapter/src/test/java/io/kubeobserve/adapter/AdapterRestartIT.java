package io.kubeobserve.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A restarted replica re-reads the recent past of its partitions and exposes complete series at once. */
@WithKafka
class AdapterRestartIT {

  private static final String ETCD = "[{,]pod=\"etcd-datagen-1-24\"";

  @Test
  void aRestartedReplicaExposesItsSeriesWithoutWaitingForNewRecords(EmbeddedKafka kafka) throws Exception {
    try (RunningAdapter first = RunningAdapter.start(kafka, "restart-it", 1)) {
      first.produce(KubeletPayloads.NODE, KubeletPayloads.rebase(KubeletPayloads.cadvisor("restart-it"),
          Instant.now(), 0));
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(first.scrape(null).body()).containsPattern(ETCD);
        assertThat(committed(kafka, first.metricsTopic)).isEqualTo(1);
      });
    }

    try (RunningAdapter restarted = RunningAdapter.start(kafka, "restart-it", 1)) {
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(restarted.scrape(null).body()).containsPattern(ETCD));
    }

    try (RunningAdapter cold = RunningAdapter.start(kafka, "restart-it", 1, "consumer.warmStart=false")) {
      await().atMost(Duration.ofSeconds(30)).until(cold.adapter::assigned);
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() ->
          !cold.scrape(null).body().contains("etcd"));
    }
  }

  private static long committed(EmbeddedKafka kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      OffsetAndMetadata offset = admin.listConsumerGroupOffsets("restart-it").partitionsToOffsetAndMetadata().get()
          .get(new TopicPartition(topic, 0));
      return offset == null ? -1 : offset.offset();
    }
  }
}
