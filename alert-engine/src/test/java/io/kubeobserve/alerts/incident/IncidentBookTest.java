package io.kubeobserve.alerts.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.alerts.AlertsConfig;
import io.kubeobserve.alerts.AlertsConfig.LagGroup;
import io.kubeobserve.alerts.AlertsConfig.Route;
import io.kubeobserve.alerts.AlertsConfig.ThresholdRule;
import io.kubeobserve.alerts.TestRecords;
import io.kubeobserve.alerts.TestRecords.Pod;
import io.kubeobserve.alerts.detect.ConsumerLag;
import io.kubeobserve.alerts.detect.EventDetector;
import io.kubeobserve.alerts.detect.MetricDetector;
import io.kubeobserve.alerts.notify.Notification.Kind;
import io.kubeobserve.alerts.notify.Notification.Severity;
import io.kubeobserve.alerts.silence.Silence;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.devstack.MutableClock;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncidentBookTest {

  private static final Duration QUIET = Duration.ofMinutes(10);
  private static final Duration UPDATE = Duration.ofMinutes(1);
  private static final Duration REPEAT = Duration.ofHours(4);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
  private final MemoryStore store = new MemoryStore();
  private final List<Sent> sent = new ArrayList<>();
  private final List<Silence> silences = new ArrayList<>();
  private IncidentBook book = book(List.of());

  private IncidentBook book(List<Route> routes) {
    return new IncidentBook(
        new AlertsConfig.Incidents(QUIET, Duration.ofSeconds(3), UPDATE, REPEAT, Duration.ofHours(1)),
        new AlertsConfig.Heartbeat(Duration.ofMinutes(3)), clock, store,
        new Routing(routes, List.of(), List.of("chat", "pager")),
        (labels, now) -> silences.stream().anyMatch(silence -> silence.silences(labels, now)),
        new IncidentListener() {
          @Override
          public void changed(Incident incident) {}

          @Override
          public void notify(Incident incident, Kind kind, List<String> receivers, boolean repeat) {
            sent.add(new Sent(incident, kind, receivers));
          }
        });
  }

  private record Sent(Incident incident, Kind kind, List<String> receivers) {
    String rule() {
      return incident.rule();
    }
  }

  private void observe(ExportLogsServiceRequest request) {
    EventDetector.detect(request).observations().forEach(book::observe);
  }

  private void pass(Duration duration) {
    for (long s = 0; s < duration.toSeconds(); s += 30) {
      clock.advance(Duration.ofSeconds(30));
      book.tick();
    }
  }

  @Test
  void anOomKillReportedTwiceFiresOnceWithItsLastLinesAndResolvesAfterTheQuietPeriod() {
    Pod pod = Pod.of("node-1", "shop", "checkout-7d9f-abcde");
    observe(TestRecords.oomKilled(pod, "checkout", 1, clock.instant(), List.of("allocating 512Mi", "heap full")));
    observe(TestRecords.oomKilled(pod, "checkout", 1, clock.instant(), List.of("allocating 512Mi", "heap full")));

    assertThat(sent).singleElement().satisfies(message -> {
      assertThat(message.kind()).isEqualTo(Kind.FIRING);
      assertThat(message.rule()).isEqualTo("OOMKilled");
      assertThat(message.receivers()).containsExactly("chat", "pager");
      assertThat(message.incident().object()).isEqualTo("shop/checkout-7d9f-abcde/checkout");
      assertThat(message.incident().labels()).containsEntry("workload", "checkout").containsEntry("node", "node-1");
      assertThat(message.incident().lastLogLines()).containsExactly("allocating 512Mi", "heap full");
      assertThat(message.incident().details()).containsEntry("Exit code", "137");
    });

    pass(QUIET.minusMinutes(1));
    assertThat(sent).hasSize(1);
    pass(Duration.ofMinutes(1));
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).kind()).isEqualTo(Kind.RESOLVED);
    assertThat(sent.get(1).receivers()).containsExactly("chat", "pager");
  }

  @Test
  void aContainerKilledAgainAfterItsIncidentResolvedOpensItAgainWithTheNextVersion() {
    Pod pod = Pod.of("node-1", "shop", "checkout-7d9f-abcde");
    observe(TestRecords.oomKilled(pod, "checkout", 1, clock.instant(), List.of()));
    pass(QUIET);
    observe(TestRecords.oomKilled(pod, "checkout", 1, clock.instant(), List.of()));
    observe(TestRecords.oomKilled(pod, "checkout", 2, clock.instant(), List.of()));
    assertThat(sent).extracting(Sent::kind).containsExactly(Kind.FIRING, Kind.RESOLVED, Kind.FIRING);
    assertThat(sent.get(2).incident().fingerprint()).isEqualTo(sent.get(0).incident().fingerprint());
    assertThat(sent.get(2).incident().version()).isGreaterThan(sent.get(1).incident().version());
  }

  @Test
  void thirtyEvictionsUnderMemoryPressureAreOneIncidentWithAtMostOneUpdatePerIntervalListedWhenResolved() {
    observe(TestRecords.nodeCondition("node-1", "MemoryPressure", "True", "False", clock.instant()));
    assertThat(sent).singleElement().satisfies(message -> {
      assertThat(message.kind()).isEqualTo(Kind.FIRING);
      assertThat(message.rule()).isEqualTo("NodeMemoryPressure");
    });
    for (int i = 0; i < 30; i++) {
      Pod pod = Pod.of("node-1", "shop", "cart-7d9f-p" + i);
      clock.advance(Duration.ofSeconds(2));
      observe(TestRecords.evicted(pod, "memory", clock.instant()));
      observe(TestRecords.evictedEvent(pod, "memory", clock.instant(), true));
      book.tick();
    }
    pass(Duration.ofMinutes(2));
    List<Kind> kinds = sent.stream().map(Sent::kind).toList();
    assertThat(kinds).containsExactly(Kind.FIRING, Kind.UPDATED);
    assertThat(sent).extracting(Sent::rule).containsOnly("NodeMemoryPressure");

    observe(TestRecords.nodeCondition("node-1", "MemoryPressure", "False", "True", clock.instant()));
    Sent resolved = sent.get(sent.size() - 1);
    assertThat(resolved.kind()).isEqualTo(Kind.RESOLVED);
    assertThat(resolved.incident().members()).hasSize(30).contains("shop/cart-7d9f-p0 (memory)");
    assertThat(resolved.incident().occurrenceCount()).isEqualTo(31);
  }

  @Test
  void evictionsWithoutPressureOnANodeAreOneIncidentPerNode() {
    for (int i = 0; i < 5; i++) {
      observe(TestRecords.evicted(Pod.of("node-2", "shop", "web-5c4-p" + i), "ephemeral-storage", clock.instant()));
    }
    assertThat(sent).as("within the group wait").isEmpty();
    pass(Duration.ofSeconds(30));
    assertThat(sent).singleElement().satisfies(message -> {
      assertThat(message.rule()).isEqualTo("PodEvicted");
      assertThat(message.incident().details()).containsEntry("Resource", "ephemeral-storage");
    });
    pass(QUIET.plusMinutes(1));
    assertThat(sent).extracting(Sent::kind).containsExactly(Kind.FIRING, Kind.RESOLVED);
    assertThat(sent.get(0).incident().members()).hasSize(5);
  }

  @Test
  void evictionsReportedJustBeforeTheirNodesPressureFoldIntoThePressureIncident() {
    observe(TestRecords.evicted(Pod.of("node-1", "shop", "web-5c4-p1"), "memory", clock.instant()));
    clock.advance(Duration.ofSeconds(1));
    book.tick();
    observe(TestRecords.nodeCondition("node-1", "MemoryPressure", "True", "False", clock.instant()));
    observe(TestRecords.evicted(Pod.of("node-1", "shop", "web-5c4-p2"), "memory", clock.instant()));
    observe(TestRecords.nodeCondition("node-1", "MemoryPressure", "False", "True", clock.instant()));
    pass(QUIET.plusMinutes(1));
    assertThat(sent).extracting(Sent::rule).containsOnly("NodeMemoryPressure");
    assertThat(sent).extracting(Sent::kind).containsExactly(Kind.FIRING, Kind.RESOLVED);
    assertThat(sent.get(0).incident().members()).containsExactly("shop/web-5c4-p1 (memory)");
    assertThat(sent.get(1).incident().members())
        .containsExactly("shop/web-5c4-p1 (memory)", "shop/web-5c4-p2 (memory)");
  }

  @Test
  void aNodeNotReadyHoldsBackThePodIncidentsOfItsNodeUntilItIsReadyAgain() {
    observe(TestRecords.nodeCondition("node-1", "Ready", "Unknown", "True", clock.instant()));
    observe(TestRecords.oomKilled(Pod.of("node-1", "shop", "a-1-x"), "a", 0, clock.instant(), List.of()));
    observe(TestRecords.oomKilled(Pod.of("node-2", "shop", "b-1-x"), "b", 0, clock.instant(), List.of()));
    assertThat(sent).extracting(Sent::rule).containsExactly("NodeNotReady", "OOMKilled");
    assertThat(sent.get(1).incident().node()).isEqualTo("node-2");

    clock.advance(Duration.ofSeconds(30));
    observe(TestRecords.nodeCondition("node-1", "Ready", "True", "Unknown", clock.instant()));
    book.tick();
    assertThat(sent).extracting(Sent::kind).containsExactly(Kind.FIRING, Kind.FIRING, Kind.RESOLVED, Kind.FIRING);
    assertThat(sent.get(3).incident().node()).isEqualTo("node-1");
  }

  @Test
  void aSilencedIncidentIsNotSentUntilTheSilenceEndsAndAResolvedOneOnlyAfterAFiringOne() {
    silences.add(new Silence("s1", Map.of("namespace", "load-test"), clock.millis() + 60_000, "load test", "me"));
    observe(TestRecords.oomKilled(Pod.of("node-1", "load-test", "gen-1-x"), "gen", 0, clock.instant(), List.of()));
    observe(TestRecords.oomKilled(Pod.of("node-1", "other", "gen-1-y"), "gen", 0, clock.instant(), List.of()));
    assertThat(sent).extracting(s -> s.incident().labels().get("namespace")).containsExactly("other");
    pass(Duration.ofMinutes(2));
    assertThat(sent).extracting(s -> s.incident().labels().get("namespace")).containsExactly("other", "load-test");

    silences.add(new Silence("s2", Map.of("alertname", "OOMKilled"), clock.millis() + 3_600_000, "", ""));
    observe(TestRecords.oomKilled(Pod.of("node-3", "x", "never-1-z"), "c", 0, clock.instant(), List.of()));
    pass(QUIET.plusMinutes(1));
    assertThat(sent).extracting(s -> s.incident().labels().get("namespace") + " " + s.kind())
        .containsExactly("other FIRING", "load-test FIRING", "other RESOLVED", "load-test RESOLVED");
  }

  @Test
  void routesByNamespaceAndPodLabelFirstMatchWinsElseTheDefault() {
    book = book(List.of(new Route(Map.of("namespace", "payments"), List.of("pager")),
        new Route(Map.of("label.app", "checkout"), List.of("chat"))));
    observe(TestRecords.oomKilled(Pod.of("node-1", "payments", "checkout-1-x"), "c", 0, clock.instant(), List.of()));
    observe(TestRecords.oomKilled(Pod.of("node-1", "shop", "checkout-1-y"), "c", 0, clock.instant(), List.of()));
    observe(TestRecords.oomKilled(Pod.of("node-1", "shop", "cart-1-z"), "c", 0, clock.instant(), List.of()));
    assertThat(sent).extracting(Sent::receivers)
        .containsExactly(List.of("pager"), List.of("chat"), List.of("chat", "pager"));
  }

  @Test
  void routesAndSilencesMatchThePodAnnotationsTheAgentSends() {
    book = book(List.of(new Route(Map.of("annotation.example.com/oncall", "payments-team"), List.of("pager"))));
    observe(annotated(TestRecords.oomKilled(Pod.of("node-1", "shop", "checkout-1-x"), "c", 0, clock.instant(),
        List.of()), "example.com/oncall", "payments-team"));
    observe(annotated(TestRecords.oomKilled(Pod.of("node-1", "shop", "cart-1-y"), "c", 0, clock.instant(),
        List.of()), "example.com/oncall", "shop-team"));
    observe(TestRecords.oomKilled(Pod.of("node-1", "shop", "cart-1-z"), "c", 0, clock.instant(), List.of()));
    silences.add(new Silence("s1", Map.of("annotation.example.com/oncall", "nobody"), clock.millis() + 60_000, "",
        ""));
    observe(annotated(TestRecords.oomKilled(Pod.of("node-1", "shop", "legacy-1-w"), "c", 0, clock.instant(),
        List.of()), "example.com/oncall", "nobody"));
    assertThat(sent).extracting(Sent::receivers)
        .containsExactly(List.of("pager"), List.of("chat", "pager"), List.of("chat", "pager"));
    assertThat(sent.get(0).incident().matchLabels()).containsEntry("annotation.example.com/oncall", "payments-team");
  }

  /** The request with a pod annotation on its resource, as the agent adds the ones in {@code logs.annotations}. */
  private static ExportLogsServiceRequest annotated(ExportLogsServiceRequest request, String key, String value) {
    ExportLogsServiceRequest.Builder builder = request.toBuilder();
    builder.getResourceLogsBuilder(0).getResourceBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_ANNOTATION_PREFIX + key, value));
    return builder.build();
  }

  @Test
  void aFiringIncidentIsRepeatedAfterTheRepeatInterval() {
    observe(TestRecords.nodeCondition("node-1", "DiskPressure", "True", "False", clock.instant()));
    pass(REPEAT.minusMinutes(1));
    assertThat(sent).hasSize(1);
    pass(Duration.ofMinutes(1));
    assertThat(sent).extracting(Sent::kind).containsExactly(Kind.FIRING, Kind.FIRING);
  }

  @Test
  void aSilentAgentFiresAfterTheHeartbeatTimeoutAndResolvesWhenItIsBack() {
    observe(TestRecords.heartbeat("node-1", clock.instant()));
    pass(Duration.ofMinutes(2));
    observe(TestRecords.heartbeat("node-1", clock.instant()));
    pass(Duration.ofMinutes(2));
    assertThat(sent).isEmpty();
    pass(Duration.ofMinutes(1));
    assertThat(sent).singleElement().satisfies(message -> {
      assertThat(message.rule()).isEqualTo("AgentHeartbeatMissing");
      assertThat(message.incident().node()).isEqualTo("node-1");
    });
    pass(Duration.ofMinutes(5));
    assertThat(sent).hasSize(1);
    observe(TestRecords.heartbeat("node-1", clock.instant()));
    assertThat(sent).extracting(Sent::kind).containsExactly(Kind.FIRING, Kind.RESOLVED);
  }

  @Test
  void aThresholdRuleFiresOnlyAfterItsDurationAndResolvesWhenTheValueRecovers() {
    MetricDetector metrics = new MetricDetector(List.of(new ThresholdRule("NodeMemoryAvailableLow",
        "k8s.node.memory.available", "", Map.of(), ThresholdRule.Comparison.BELOW, 1 << 30, Duration.ofMinutes(1),
        Severity.WARNING)));
    for (int seconds : List.of(0, 30, 59)) {
      clock.advance(Duration.ofSeconds(seconds == 0 ? 0 : seconds == 30 ? 30 : 29));
      metrics.detect(TestRecords.nodeGauge("node-1", clock.instant(), "k8s.node.memory.available", 500L << 20))
          .forEach(book::observe);
      assertThat(sent).as("breached for %d s", seconds).isEmpty();
    }
    clock.advance(Duration.ofSeconds(2));
    metrics.detect(TestRecords.nodeGauge("node-1", clock.instant(), "k8s.node.memory.available", 400L << 20))
        .forEach(book::observe);
    assertThat(sent).singleElement().satisfies(message -> {
      assertThat(message.rule()).isEqualTo("NodeMemoryAvailableLow");
      assertThat(message.incident().details()).containsEntry("Value", "419430400");
    });
    metrics.detect(TestRecords.nodeGauge("node-1", clock.instant(), "k8s.node.memory.available", 3L << 30))
        .forEach(book::observe);
    assertThat(sent).extracting(Sent::kind).containsExactly(Kind.FIRING, Kind.RESOLVED);
  }

  @Test
  void aThresholdRuleWhoseDurationIsLongerThanKeepResolvedStillFiresOnceAfterIt() {
    MetricDetector metrics = new MetricDetector(List.of(new ThresholdRule("NodeMemoryAvailableLow",
        "k8s.node.memory.available", "", Map.of(), ThresholdRule.Comparison.BELOW, 1 << 30, Duration.ofHours(3),
        Severity.WARNING)));
    for (int minutes = 0; minutes < 180; minutes += 5) {
      metrics.detect(TestRecords.nodeGauge("node-1", clock.instant(), "k8s.node.memory.available", 500L << 20))
          .forEach(book::observe);
      book.tick();
      assertThat(sent).as("breached for %d min (incidents.keepResolved is 1h)", minutes).isEmpty();
      clock.advance(Duration.ofMinutes(5));
    }
    metrics.detect(TestRecords.nodeGauge("node-1", clock.instant(), "k8s.node.memory.available", 500L << 20))
        .forEach(book::observe);
    assertThat(sent).singleElement().satisfies(message -> assertThat(message.kind()).isEqualTo(Kind.FIRING));
  }

  @Test
  void aConsumerGroupLaggingOverItsThresholdFiresOnceAfterItsDurationAndResolvesWhenItCatchesUp() {
    LagGroup group = new LagGroup("kube-observe-indexer", 1000, Duration.ofMinutes(2));
    for (int i = 0; i < 4; i++) {
      book.observe(ConsumerLag.observation(group, Map.of("k8s-logs", 5000L + i), clock.millis()));
      assertThat(sent).as("over the threshold for %d s", i * 30).isEmpty();
      clock.advance(Duration.ofSeconds(30));
    }
    book.observe(ConsumerLag.observation(group, Map.of("k8s-logs", 6000L, "k8s-events", 10L), clock.millis()));
    book.observe(ConsumerLag.observation(group, Map.of("k8s-logs", 7000L), clock.millis()));
    assertThat(sent).singleElement().satisfies(message -> {
      assertThat(message.kind()).isEqualTo(Kind.FIRING);
      assertThat(message.rule()).isEqualTo("ConsumerLag");
      assertThat(message.incident().object()).isEqualTo("kube-observe-indexer");
      assertThat(message.incident().details()).containsEntry("Lag", "6010 records")
          .containsEntry("Lag by topic", "k8s-events: 10, k8s-logs: 6000");
    });
    book.observe(ConsumerLag.observation(group, Map.of("k8s-logs", 1000L), clock.millis()));
    assertThat(sent).extracting(Sent::kind).containsExactly(Kind.FIRING, Kind.RESOLVED);

    clock.advance(Duration.ofMinutes(1));
    book.observe(ConsumerLag.observation(group, Map.of("k8s-logs", 5000L), clock.millis()));
    book.observe(ConsumerLag.observation(group, Map.of("k8s-logs", 0L), clock.millis()));
    clock.advance(Duration.ofMinutes(3));
    book.observe(ConsumerLag.observation(group, Map.of("k8s-logs", 0L), clock.millis()));
    assertThat(sent).as("a spike shorter than forDuration").hasSize(2);
  }

  /** The store of a test: a map. */
  private static final class MemoryStore implements IncidentStore {
    private final Map<String, Incident> incidents = new HashMap<>();
    private final Map<String, Long> heartbeats = new HashMap<>();

    @Override
    public Optional<Incident> get(String fingerprint) {
      return Optional.ofNullable(incidents.get(fingerprint));
    }

    @Override
    public void put(Incident incident) {
      incidents.put(incident.fingerprint(), incident);
    }

    @Override
    public void delete(String fingerprint) {
      incidents.remove(fingerprint);
    }

    @Override
    public List<Incident> all() {
      return List.copyOf(incidents.values());
    }

    @Override
    public Map<String, Long> heartbeats() {
      return Map.copyOf(heartbeats);
    }

    @Override
    public void heartbeat(String node, long wallMillis) {
      heartbeats.put(node, wallMillis);
    }
  }
}
