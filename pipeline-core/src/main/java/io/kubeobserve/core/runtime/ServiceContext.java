package io.kubeobserve.core.runtime;

import io.kubeobserve.core.kafka.KafkaClients;
import io.kubeobserve.core.telemetry.KafkaTraceContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;

/**
 * What the runtime hands a service: its meter registry (rendered on {@code /metrics}), Kafka
 * clients bound to it, and OpenTelemetry.
 */
public record ServiceContext(
    String serviceName, MeterRegistry meterRegistry, KafkaClients kafkaClients, OpenTelemetry openTelemetry) {

  public KafkaTraceContext traceContext() {
    return new KafkaTraceContext(openTelemetry);
  }
}
