package io.kubeobserve.devstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ScenarioClockTest {

  @Test
  void scenarioTimeRunsAtTheSpeedAndTasksRunAtScenarioTimes() {
    ScenarioClock clock = ScenarioClock.start(Instant.parse("2025-01-01T00:00:00Z"), 600);
    assertThat(clock.toWall(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(1));
    try (ScenarioScheduler scheduler = clock.scheduler("scenario-test")) {
      AtomicReference<Instant> ranAt = new AtomicReference<>();
      Instant target = clock.instant().plus(Duration.ofMinutes(5));
      scheduler.scheduleAt(() -> ranAt.set(clock.instant()), target);
      await().atMost(Duration.ofSeconds(10)).until(() -> ranAt.get() != null);
      assertThat(ranAt.get()).isAfterOrEqualTo(target).isBefore(target.plus(Duration.ofMinutes(2)));
    }
  }
}
