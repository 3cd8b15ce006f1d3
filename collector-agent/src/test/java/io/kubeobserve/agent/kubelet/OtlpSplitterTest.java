package io.kubeobserve.agent.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpSplitterTest {

  private static final Instant SCRAPED = Instant.parse("2023-09-06T16:15:45Z");

  private static List<String> points(List<ExportMetricsServiceRequest> requests) {
    List<String> points = new ArrayList<>();
    for (ExportMetricsServiceRequest request : requests) {
      for (ResourceMetrics resource : request.getResourceMetricsList()) {
        for (var scope : resource.getScopeMetricsList()) {
          for (Metric metric : scope.getMetricsList()) {
            String prefix = resource.getResource().toString() + scope.getScope().getName() + metric.getName()
                + metric.getDescription() + metric.getDataCase();
            switch (metric.getDataCase()) {
              case GAUGE -> metric.getGauge().getDataPointsList().forEach(p -> points.add(prefix + p));
              case SUM -> metric.getSum().getDataPointsList().forEach(p -> points.add(prefix + p));
              default -> throw new AssertionError(metric.getDataCase());
            }
          }
        }
      }
    }
    return points;
  }

  @Test
  void aLargeScrapeIsCutIntoRecordsUnderTheLimitKeepingEveryPointInOrder() throws Exception {
    ExportMetricsServiceRequest cadvisor = ExpositionMapper.toOtlp(ExpositionParser.parse(
        KubeletFixtures.bytes(KubeletFixtures.CADVISOR)), ScrapeOrigin.kubelet("lab", "n", "/metrics/cadvisor"), SCRAPED);
    assertThat(cadvisor.getSerializedSize()).isGreaterThan(200_000);

    List<ExportMetricsServiceRequest> parts = OtlpSplitter.split(cadvisor, 100_000);

    assertThat(parts.size()).isGreaterThan(cadvisor.getSerializedSize() / 100_000);
    assertThat(parts).allSatisfy(part -> assertThat(part.getSerializedSize()).isLessThanOrEqualTo(100_000));
    assertThat(points(parts)).isEqualTo(points(List.of(cadvisor)));
  }

  @Test
  void aScrapeThatFitsStaysOneRecord() throws Exception {
    ExportMetricsServiceRequest resource = ExpositionMapper.toOtlp(ExpositionParser.parse(
        KubeletFixtures.bytes(KubeletFixtures.RESOURCE)), ScrapeOrigin.kubelet("lab", "n", "/metrics/resource"), SCRAPED);

    assertThat(OtlpSplitter.split(resource, 900_000)).containsExactly(resource);
  }
}
