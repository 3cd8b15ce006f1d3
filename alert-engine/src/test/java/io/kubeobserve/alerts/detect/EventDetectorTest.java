package io.kubeobserve.alerts.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.alerts.TestRecords;
import io.kubeobserve.alerts.TestRecords.Pod;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventDetectorTest {

  private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

  @Test
  void namesTheResourceOfTheKubeletsEvictionMessages() {
    assertThat(EventDetector.evictedResource("The node was low on resource: memory. Threshold quantity: 750Mi, "
        + "available: 179968Ki. Container app was using 1Gi, request is 0, has larger consumption of memory."))
        .contains("memory");
    assertThat(EventDetector.evictedResource("The node was low on resource: ephemeral-storage. Threshold quantity: "
        + "10%, available: 9%.")).contains("ephemeral-storage");
    assertThat(EventDetector.evictedResource("The node had condition: [DiskPressure].")).isEmpty();
  }

  @Test
  void theAgentsEvictionAndTheRoutersEventOfOnePodAreTheSameOccurrence() {
    Pod pod = Pod.of("node-1", "shop", "cart-7d9f-abcde");
    Observation fromAgent = EventDetector.detect(TestRecords.evicted(pod, "memory", AT)).observations().get(0);
    Observation fromRouter = EventDetector.detect(TestRecords.evictedEvent(pod, "memory", AT, true))
        .observations().get(0);
    assertThat(fromRouter.occurrence()).isEqualTo(fromAgent.occurrence());
    assertThat(fromRouter.object()).isEqualTo(fromAgent.object()).isEqualTo("node-1");
    assertThat(fromAgent.member()).isEqualTo("shop/cart-7d9f-abcde (memory)");
  }

  @Test
  void aPodEventThatNamesNoNodeIsCountedNotUsed() {
    EventDetector.Detection detection = EventDetector.detect(
        TestRecords.evictedEvent(Pod.of("node-1", "shop", "a-1-b"), "memory", AT, false));
    assertThat(detection.observations()).isEmpty();
    assertThat(detection.unplaced()).isEqualTo(1);
  }

  @Test
  void nodeConditionsRaiseAndClearTheirRule() {
    Observation notReady = EventDetector.detect(TestRecords.nodeCondition("node-1", "Ready", "Unknown", "True", AT))
        .observations().get(0);
    assertThat(notReady.kind()).isEqualTo(Observation.Kind.CONDITION_RAISED);
    assertThat(notReady.rule()).isEqualTo(Rules.NODE_NOT_READY);
    Observation pressureGone = EventDetector.detect(
        TestRecords.nodeCondition("node-1", "PIDPressure", "False", "True", AT)).observations().get(0);
    assertThat(pressureGone.kind()).isEqualTo(Observation.Kind.CONDITION_CLEARED);
    assertThat(pressureGone.rule()).isEqualTo(Rules.NODE_PID_PRESSURE);
  }

  @Test
  void anOomKillSaysItsLimitAndRequestAndTheWorkingSetsSeenBeforeIt() {
    ExportLogsServiceRequest kill = TestRecords.oomKilled(Pod.of("node-1", "shop", "cart-7d9f-abcde"), "app", 3, AT,
        List.of());
    LogRecord withMemory = kill.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).toBuilder()
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_MEMORY_LIMIT, 512L << 20))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_MEMORY_REQUEST, 256L << 20))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET, 524_812_288))
        .addAttributes(OtlpValues.string(Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET_TIME, "2026-11-20T09:59:50Z"))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET_PEAK, 509L << 20))
        .build();
    ExportLogsServiceRequest.Builder request = kill.toBuilder();
    request.getResourceLogsBuilder(0).getScopeLogsBuilder(0).setLogRecords(0, withMemory);

    Observation observation = EventDetector.detect(request.build()).observations().get(0);

    assertThat(observation.rule()).isEqualTo(Rules.OOM_KILLED);
    assertThat(observation.details()).containsEntry("Memory limit", "512 MiB")
        .containsEntry("Memory request", "256 MiB")
        .containsEntry("Last working set", "500.5 MiB (98 % of the limit) at 2026-11-20T09:59:50Z")
        .containsEntry("Peak working set", "509 MiB (99 % of the limit)");
    assertThat(EventDetector.detect(kill).observations().get(0).details())
        .as("a kill the agent knew no limit or usage of").doesNotContainKeys("Memory limit", "Last working set");
  }

  @Test
  void byteSizesAreWrittenInBinaryUnits() {
    assertThat(ByteSizes.binary(0)).isEqualTo("0 B");
    assertThat(ByteSizes.binary(1023)).isEqualTo("1023 B");
    assertThat(ByteSizes.binary(1024)).isEqualTo("1 KiB");
    assertThat(ByteSizes.binary(1536)).isEqualTo("1.5 KiB");
    assertThat(ByteSizes.binary(200L << 20)).isEqualTo("200 MiB");
    assertThat(ByteSizes.binary(Long.MAX_VALUE)).isEqualTo("8 EiB");
  }
}
