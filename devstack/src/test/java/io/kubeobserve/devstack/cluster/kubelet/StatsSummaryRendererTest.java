package io.kubeobserve.devstack.cluster.kubelet;

import io.kubeobserve.devstack.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatsSummaryRendererTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(KubeletFixtures.SummarySchema.class)
  void theRenderedSummaryHasTheRecordedFieldSetAndExactlyTheGivenPods(KubeletFixtures.SummarySchema schema) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    KubeletState state = new KubeletState("sim-node-1", clock);
    JsonNode rendered = MAPPER.readTree(new StatsSummaryRenderer(schema).renderJson(state.snapshot(TestPods.PODS)));
    JsonNode recorded = KubeletFixtures.get().summary(schema);

    assertThat(paths(rendered.path("node"), "")).isEqualTo(paths(recorded.path("node"), ""));
    assertThat(unionOfPodPaths(rendered)).isEqualTo(unionOfPodPaths(recorded));

    assertThat(rendered.path("node").path("nodeName").asText()).isEqualTo("sim-node-1");
    assertThat(rendered.path("pods")).hasSize(2);
    for (int i = 0; i < TestPods.PODS.size(); i++) {
      PodView pod = TestPods.PODS.get(i);
      JsonNode ref = rendered.path("pods").get(i).path("podRef");
      assertThat(List.of(ref.path("namespace").asText(), ref.path("name").asText(), ref.path("uid").asText()))
          .containsExactly(pod.namespace(), pod.name(), pod.uid());
      List<String> containers = rendered.path("pods").get(i).path("containers").findValuesAsText("name");
      assertThat(containers).containsExactlyElementsOf(pod.containers().stream().map(PodView.ContainerView::name).toList());
    }
    assertThat(rendered.path("node").path("cpu").path("time").asText()).isEqualTo("2025-03-01T10:00:00Z");
  }

  @ParameterizedTest
  @EnumSource(KubeletFixtures.SummarySchema.class)
  void countersAdvanceAndGaugesFollowTheState(KubeletFixtures.SummarySchema schema) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    KubeletState state = new KubeletState("sim-node-1", clock);
    StatsSummaryRenderer renderer = new StatsSummaryRenderer(schema);
    JsonNode first = MAPPER.readTree(renderer.renderJson(state.snapshot(TestPods.PODS)));
    clock.advance(Duration.ofSeconds(30));
    state.container(TestPods.WEB.uid(), "web").setWorkingSetBytes(200L << 20);
    JsonNode second = MAPPER.readTree(renderer.renderJson(state.snapshot(TestPods.PODS)));

    JsonNode web1 = first.path("pods").get(0).path("containers").get(0);
    JsonNode web2 = second.path("pods").get(0).path("containers").get(0);
    assertThat(web2.path("cpu").path("usageCoreNanoSeconds").asLong()).isGreaterThan(web1.path("cpu").path("usageCoreNanoSeconds").asLong());
    assertThat(web2.path("memory").path("pageFaults").asLong()).isGreaterThan(web1.path("memory").path("pageFaults").asLong());
    assertThat(second.path("pods").get(0).path("network").path("rxBytes").asLong())
        .isGreaterThan(first.path("pods").get(0).path("network").path("rxBytes").asLong());
    assertThat(second.path("node").path("cpu").path("usageCoreNanoSeconds").asLong())
        .isGreaterThan(first.path("node").path("cpu").path("usageCoreNanoSeconds").asLong());
    assertThat(web2.path("memory").path("workingSetBytes").asLong()).isEqualTo(200L << 20);
    assertThat(web2.path("memory").path("availableBytes").asLong()).isEqualTo((256L << 20) - (200L << 20));
    assertThat(second.path("node").path("memory").path("time").asText()).isEqualTo("2025-03-01T10:00:30Z");

    state.setMemoryAvailableBytes(100L << 20);
    JsonNode pressured = MAPPER.readTree(renderer.renderJson(state.snapshot(TestPods.PODS)));
    assertThat(pressured.path("node").path("memory").path("availableBytes").asLong()).isEqualTo(100L << 20);
  }

  private static Set<String> unionOfPodPaths(JsonNode summary) {
    Set<String> union = new TreeSet<>();
    for (JsonNode pod : summary.path("pods")) {
      union.addAll(paths(pod, ""));
    }
    // pvcRef belongs to volumes backed by a claim, which the recorded nodes do not have
    union.removeIf(path -> path.contains("pvcRef"));
    return union;
  }

  private static Set<String> paths(JsonNode node, String prefix) {
    Set<String> paths = new HashSet<>();
    if (node.isObject()) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        paths.add(prefix + "/" + field);
        paths.addAll(paths(node.get(field), prefix + "/" + field));
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        paths.addAll(paths(element, prefix + "[]"));
      }
    }
    return new TreeSet<>(paths);
  }
}
