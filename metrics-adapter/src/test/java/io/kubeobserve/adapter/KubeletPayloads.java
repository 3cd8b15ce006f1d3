package io.kubeobserve.adapter;

import io.kubeobserve.agent.kubelet.ExpositionMapper;
import io.kubeobserve.agent.kubelet.ExpositionParser;
import io.kubeobserve.agent.kubelet.ScrapeOrigin;
import io.kubeobserve.agent.kubelet.StatsSummaryMapper;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * OTLP metrics as the agent produces them from the recorded kubelet payloads (see
 * {@code src/test/resources/fixtures/SOURCES.md}), with the transformations tests need: timestamps
 * rebased to now, counters advanced, pods removed.
 */
public final class KubeletPayloads {

  public static final String CADVISOR = "fixtures/cadvisor/metrics-cadvisor_k8s-1.24_containerd-1.6_minikube-arm64.txt";
  public static final String SUMMARY_1_24 = "fixtures/kubelet/stats-summary_k8s-1.24_containerd-1.6_minikube-arm64.json";
  public static final String SUMMARY_1_35 = "fixtures/kubelet/stats-summary_k8s-1.35_containerd-2.2_minikube.json";
  /** The node both 1.24 payloads come from. */
  public static final String NODE = "datagen-1-24";
  /** When the 1.24 node was scraped: its newest cAdvisor timestamp. */
  public static final Instant RECORDED = Instant.ofEpochMilli(1694016943000L);

  private KubeletPayloads() {}

  public static String text(String resource) {
    return new String(bytes(resource), StandardCharsets.UTF_8);
  }

  public static byte[] bytes(String resource) {
    try (InputStream in = KubeletPayloads.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The node's {@code /metrics/cadvisor}, scraped at {@link #RECORDED}. */
  public static ExportMetricsServiceRequest cadvisor(String cluster) {
    return exposition(text(CADVISOR), cluster, NODE, "/metrics/cadvisor");
  }

  public static ExportMetricsServiceRequest exposition(String text, String cluster, String node, String path) {
    try {
      return ExpositionMapper.toOtlp(ExpositionParser.parse(text), ScrapeOrigin.kubelet(cluster, node, path), RECORDED);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A recorded {@code /stats/summary}. */
  public static ExportMetricsServiceRequest summary(String resource, String cluster) {
    try {
      return StatsSummaryMapper.toOtlp(bytes(resource), cluster, RECORDED);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The newest point time of the request, in nanoseconds. */
  public static long newestNanos(ExportMetricsServiceRequest request) {
    long newest = 0;
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          for (NumberDataPoint point : numberPoints(metric)) {
            newest = Math.max(newest, point.getTimeUnixNano());
          }
        }
      }
    }
    return newest;
  }

  /**
   * The request with every time (and non-zero start time) shifted so that its newest point is at
   * {@code newest}, and every monotonic sum advanced by {@code counterIncrease} (per unit of value,
   * so rates stay proportional to the values: {@code v * (1 + counterIncrease)}).
   */
  public static ExportMetricsServiceRequest rebase(ExportMetricsServiceRequest request, Instant newest,
      double counterIncrease) {
    long shift = newest.toEpochMilli() * 1_000_000L - newestNanos(request);
    ExportMetricsServiceRequest.Builder builder = request.toBuilder();
    for (ResourceMetrics.Builder resource : builder.getResourceMetricsBuilderList()) {
      for (ScopeMetrics.Builder scope : resource.getScopeMetricsBuilderList()) {
        for (Metric.Builder metric : scope.getMetricsBuilderList()) {
          boolean counter = metric.hasSum() && metric.getSum().getIsMonotonic();
          for (NumberDataPoint.Builder point : metric.hasGauge() ? metric.getGaugeBuilder().getDataPointsBuilderList()
              : metric.hasSum() ? metric.getSumBuilder().getDataPointsBuilderList()
              : java.util.List.<NumberDataPoint.Builder>of()) {
            point.setTimeUnixNano(point.getTimeUnixNano() + shift);
            if (point.getStartTimeUnixNano() != 0) {
              point.setStartTimeUnixNano(point.getStartTimeUnixNano() + shift);
            }
            if (counter && counterIncrease != 0) {
              if (point.hasAsInt()) {
                point.setAsInt(Math.round(point.getAsInt() * (1 + counterIncrease)));
              } else {
                point.setAsDouble(point.getAsDouble() * (1 + counterIncrease));
              }
            }
          }
        }
      }
    }
    return builder.build();
  }

  /**
   * The request as if every point had been observed at {@code at}: all times set to it (start
   * times moved as much as the newest point), monotonic sums advanced as by {@link #rebase}.
   */
  public static ExportMetricsServiceRequest stamp(ExportMetricsServiceRequest request, Instant at,
      double counterIncrease) {
    long time = at.toEpochMilli() * 1_000_000L;
    ExportMetricsServiceRequest.Builder builder = rebase(request, at, counterIncrease).toBuilder();
    for (ResourceMetrics.Builder resource : builder.getResourceMetricsBuilderList()) {
      for (ScopeMetrics.Builder scope : resource.getScopeMetricsBuilderList()) {
        for (Metric.Builder metric : scope.getMetricsBuilderList()) {
          for (NumberDataPoint.Builder point : metric.hasGauge() ? metric.getGaugeBuilder().getDataPointsBuilderList()
              : metric.hasSum() ? metric.getSumBuilder().getDataPointsBuilderList()
              : java.util.List.<NumberDataPoint.Builder>of()) {
            point.setTimeUnixNano(time);
          }
        }
      }
    }
    return builder.build();
  }

  /** The request without the data points (and resources) that {@code drop} matches. */
  public static ExportMetricsServiceRequest without(ExportMetricsServiceRequest request,
      Predicate<java.util.List<KeyValue>> drop) {
    ExportMetricsServiceRequest.Builder builder = request.toBuilder();
    java.util.List<ResourceMetrics> kept = new java.util.ArrayList<>();
    for (ResourceMetrics.Builder resource : builder.getResourceMetricsBuilderList()) {
      if (drop.test(resource.getResource().getAttributesList())) {
        continue;
      }
      for (ScopeMetrics.Builder scope : resource.getScopeMetricsBuilderList()) {
        for (Metric.Builder metric : scope.getMetricsBuilderList()) {
          if (metric.hasGauge()) {
            java.util.List<NumberDataPoint> points = metric.getGauge().getDataPointsList().stream()
                .filter(p -> !drop.test(p.getAttributesList())).toList();
            metric.getGaugeBuilder().clearDataPoints().addAllDataPoints(points);
          } else if (metric.hasSum()) {
            java.util.List<NumberDataPoint> points = metric.getSum().getDataPointsList().stream()
                .filter(p -> !drop.test(p.getAttributesList())).toList();
            metric.getSumBuilder().clearDataPoints().addAllDataPoints(points);
          }
        }
      }
      kept.add(resource.build());
    }
    return ExportMetricsServiceRequest.newBuilder().addAllResourceMetrics(kept).build();
  }

  private static java.util.List<NumberDataPoint> numberPoints(Metric metric) {
    return metric.hasGauge() ? metric.getGauge().getDataPointsList()
        : metric.hasSum() ? metric.getSum().getDataPointsList() : java.util.List.of();
  }
}
