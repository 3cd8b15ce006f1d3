package io.kubeobserve.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.KafkaClients;
import io.kubeobserve.core.kafka.KafkaConfig;
import io.kubeobserve.core.kafka.TopicProvisioner;
import io.kubeobserve.core.kafka.TopicProvisioning;
import io.kubeobserve.core.telemetry.KafkaTraceContext;
import io.kubeobserve.devstack.junit.WithKafka;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@WithKafka
class OtlpOverKafkaIT {

  @Test
  void aBatchProducedToTheBrokerIsDecodedByASeparateConsumer(EmbeddedKafka kafka) throws Exception {
    KafkaConfig config = new KafkaConfig(List.of(kafka.bootstrapServers()), Topics.defaults().withLogs("otlp-roundtrip"),
        Map.of(), new TopicProvisioning(true, 2, 1, 1, new TopicProvisioning.Retention(
            Duration.ofDays(1), Duration.ofDays(1), Duration.ofDays(1), Duration.ofDays(1))));
    ExportLogsServiceRequest batch = OtlpCodecTest.containerLines();
    String podUid = OtlpValues.stringAttribute(batch.getResourceLogs(0).getResource().getAttributesList(),
        Attributes.K8S_POD_UID).orElseThrow();
    SpanContext sent = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault());
    KafkaTraceContext trace = new KafkaTraceContext(
        OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance())));

    try (KafkaClients clients = new KafkaClients(config, "it", new SimpleMeterRegistry());
         Admin admin = clients.admin("admin");
         KafkaProducer<byte[], byte[]> producer = clients.producer("producer")) {
      new TopicProvisioner(admin, config.provisioning()).provision(List.of(new ContractTopics(config).logs()));
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(config.topics().logs(),
          podUid.getBytes(java.nio.charset.StandardCharsets.UTF_8), OtlpCodec.encodeLogs(batch));
      trace.inject(Context.root().with(Span.wrap(sent)), record.headers());
      producer.send(record).get();
    }

    List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
    try (KafkaClients clients = new KafkaClients(config, "it", new SimpleMeterRegistry());
         KafkaConsumer<byte[], byte[]> consumer = clients.consumer("consumer", "otlp-roundtrip-reader")) {
      consumer.subscribe(List.of(config.topics().logs()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }

    assertThat(received).hasSize(1);
    ConsumerRecord<byte[], byte[]> record = received.get(0);
    assertThat(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(podUid);
    assertThat(OtlpCodec.decodeLogs(record.value())).isEqualTo(batch);
    assertThat(RecordHeaders.lastString(record.headers(), RecordHeaders.TRACEPARENT))
        .contains("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assertThat(Span.fromContext(trace.extract(record.headers())).getSpanContext().getTraceId())
        .isEqualTo(sent.getTraceId());
  }
}
