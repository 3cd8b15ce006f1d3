package io.kubeobserve.alerts.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.alerts.TestRecords;
import io.kubeobserve.alerts.TestRecords.Pod;
import java.time.Instant;
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
}
