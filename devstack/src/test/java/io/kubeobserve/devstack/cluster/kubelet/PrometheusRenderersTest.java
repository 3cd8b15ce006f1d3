package io.kubeobserve.devstack.cluster.kubelet;

import io.kubeobserve.devstack.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.devstack.prometheus.Promtool;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PrometheusRenderersTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final KubeletState state = new KubeletState("sim-node-1", clock);

  @Test
  void cadvisorHasTheRecordedFamiliesAndSeriesOfTheGivenContainersOnly() {
    List<PrometheusText.Family> recorded = KubeletFixtures.get().cadvisor();
    List<PrometheusText.Family> rendered = PrometheusText.parse(new CadvisorRenderer().render(state.snapshot(TestPods.PODS)));

    assertThat(rendered).extracting(f -> f.name() + " " + f.type() + " " + f.help())
        .containsExactlyElementsOf(recorded.stream().map(f -> f.name() + " " + f.type() + " " + f.help()).toList());

    Map<String, Set<String>> containersByPod = TestPods.PODS.stream().collect(Collectors.toMap(
        p -> p.namespace() + "/" + p.name(),
        p -> {
          Set<String> names = new HashSet<>(Set.of(""));
          p.containers().forEach(c -> names.add(c.name()));
          return names;
        }));
    for (PrometheusText.Family family : rendered) {
      for (PrometheusText.Sample sample : family.samples()) {
        if (!sample.label("pod").isEmpty()) {
          String pod = sample.label("namespace") + "/" + sample.label("pod");
          assertThat(containersByPod).as("pod of %s", sample).containsKey(pod);
          assertThat(containersByPod.get(pod)).as("container of %s", sample).contains(sample.label("container"));
        }
      }
    }
    PrometheusText.Family workingSet = family(rendered, "container_memory_working_set_bytes");
    for (PodView pod : TestPods.PODS) {
      for (PodView.ContainerView container : pod.containers()) {
        assertThat(workingSet.samples()).anySatisfy(s -> {
          assertThat(s.label("pod")).isEqualTo(pod.name());
          assertThat(s.label("container")).isEqualTo(container.name());
          assertThat(s.label("image")).isEqualTo(container.image());
          assertThat(s.label("id")).startsWith(pod.qosClass().podCgroup(pod.uid()) + "/");
        });
      }
    }
  }

  @Test
  void cadvisorCountersAdvanceAndOomEventsCount() {
    CadvisorRenderer renderer = new CadvisorRenderer();
    List<PrometheusText.Family> first = PrometheusText.parse(renderer.render(state.snapshot(TestPods.PODS)));
    clock.advance(Duration.ofSeconds(60));
    state.container(TestPods.API.uid(), "api").recordOomKill();
    List<PrometheusText.Family> second = PrometheusText.parse(renderer.render(state.snapshot(TestPods.PODS)));

    assertThat(value(second, "container_cpu_usage_seconds_total", "api"))
        .isGreaterThan(value(first, "container_cpu_usage_seconds_total", "api"));
    assertThat(value(first, "container_oom_events_total", "api")).isZero();
    assertThat(value(second, "container_oom_events_total", "api")).isEqualTo(1);
    assertThat(value(second, "container_spec_memory_limit_bytes", "api")).isEqualTo(512L << 20);
  }

  @Test
  void promtoolFindsNoParseErrorAndNoLintBeyondTheRecordedPayloads() {
    state.recordEviction("memory.available");
    KubeletSnapshot snapshot = state.snapshot(TestPods.PODS);

    Promtool.Result cadvisor = Promtool.checkMetrics(new CadvisorRenderer().render(snapshot));
    Promtool.Result cadvisorRecorded = Promtool.checkMetrics(KubeletFixtures.text(KubeletFixtures.CADVISOR));
    assertThat(cadvisor.valid()).as(cadvisor.stderr()).isTrue();
    assertThat(new HashSet<>(cadvisorRecorded.lintProblems())).containsAll(cadvisor.lintProblems());

    Promtool.Result resource = Promtool.checkMetrics(new ResourceMetricsRenderer().render(snapshot));
    Promtool.Result resourceRecorded = Promtool.checkMetrics(KubeletFixtures.text(KubeletFixtures.RESOURCE));
    assertThat(resource.valid()).as(resource.stderr()).isTrue();
    assertThat(new HashSet<>(resourceRecorded.lintProblems())).containsAll(resource.lintProblems());

    String kubeletText = new KubeletMetricsRenderer().render(snapshot);
    assertThat(kubeletText).contains("kubelet_evictions{eviction_signal=\"memory.available\"} 1")
        .contains("kubelet_volume_stats_capacity_bytes{namespace=\"shop\",persistentvolumeclaim=\"web-data\"}");
    Promtool.Result kubelet = Promtool.checkMetrics(kubeletText);
    assertThat(kubelet.valid()).as(kubelet.stderr()).isTrue();
    // No recorded kubelet /metrics exists; the one finding is the kubelet's own name for the counter.
    assertThat(kubelet.lintProblems()).allMatch(p -> p.startsWith("kubelet_evictions counter metrics should have \"_total\" suffix"));
  }

  private static PrometheusText.Family family(List<PrometheusText.Family> families, String name) {
    return families.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  private static double value(List<PrometheusText.Family> families, String name, String container) {
    return family(families, name).samples().stream().filter(s -> s.label("container").equals(container))
        .findFirst().orElseThrow().value();
  }
}
