package io.kubeobserve.agent.kubelet;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one scrape's OTLP request into requests of at most about {@code maxBytes} each, so that each
 * fits one Kafka record under the producer's {@code max.request.size}. Every part repeats the
 * resource and scope it holds metrics of; a metric is cut between its data points only when it
 * alone is too large. Order is kept, nothing is dropped.
 */
public final class OtlpSplitter {

  /** Room for the resource, scope and framing of a part. */
  private static final int OVERHEAD = 2048;

  private OtlpSplitter() {}

  public static List<ExportMetricsServiceRequest> split(ExportMetricsServiceRequest request, int maxBytes) {
    if (request.getSerializedSize() <= maxBytes) {
      return List.of(request);
    }
    Parts parts = new Parts(maxBytes);
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          if (metric.getSerializedSize() + OVERHEAD <= maxBytes) {
            parts.add(resource, scope, metric);
          } else {
            for (Metric piece : pieces(metric, maxBytes - OVERHEAD)) {
              parts.add(resource, scope, piece);
            }
          }
        }
      }
    }
    return parts.finish();
  }

  /** A metric cut between its data points into pieces of at most {@code budget} bytes each (at least one point each). */
  private static List<Metric> pieces(Metric metric, int budget) {
    List<Metric> pieces = new ArrayList<>();
    Metric.Builder empty = metric.toBuilder();
    int count;
    switch (metric.getDataCase()) {
      case GAUGE -> count = metric.getGauge().getDataPointsCount();
      case SUM -> count = metric.getSum().getDataPointsCount();
      case HISTOGRAM -> count = metric.getHistogram().getDataPointsCount();
      case SUMMARY -> count = metric.getSummary().getDataPointsCount();
      default -> {
        return List.of(metric);
      }
    }
    int start = 0;
    while (start < count) {
      int end = start;
      int size = 0;
      while (end < count && (end == start || size + pointSize(metric, end) <= budget)) {
        size += pointSize(metric, end) + 4;
        end++;
      }
      pieces.add(slice(empty, metric, start, end));
      start = end;
    }
    return pieces;
  }

  private static int pointSize(Metric metric, int index) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPoints(index).getSerializedSize();
      case SUM -> metric.getSum().getDataPoints(index).getSerializedSize();
      case HISTOGRAM -> metric.getHistogram().getDataPoints(index).getSerializedSize();
      case SUMMARY -> metric.getSummary().getDataPoints(index).getSerializedSize();
      default -> 0;
    };
  }

  private static Metric slice(Metric.Builder template, Metric metric, int from, int to) {
    Metric.Builder piece = template.clone();
    switch (metric.getDataCase()) {
      case GAUGE -> piece.setGauge(Gauge.newBuilder()
          .addAllDataPoints(metric.getGauge().getDataPointsList().subList(from, to)));
      case SUM -> piece.setSum(metric.getSum().toBuilder().clearDataPoints()
          .addAllDataPoints(metric.getSum().getDataPointsList().subList(from, to)));
      case HISTOGRAM -> piece.setHistogram(metric.getHistogram().toBuilder().clearDataPoints()
          .addAllDataPoints(metric.getHistogram().getDataPointsList().subList(from, to)));
      case SUMMARY -> piece.setSummary(Summary.newBuilder()
          .addAllDataPoints(metric.getSummary().getDataPointsList().subList(from, to)));
      default -> throw new IllegalStateException("cannot slice " + metric.getDataCase());
    }
    return piece.build();
  }

  /** Accumulates metrics into parts, opening a new part when the next metric would not fit. */
  private static final class Parts {
    private final int maxBytes;
    private final List<ExportMetricsServiceRequest> done = new ArrayList<>();
    private ExportMetricsServiceRequest.Builder current = ExportMetricsServiceRequest.newBuilder();
    private ResourceMetrics currentResource;
    private ScopeMetrics currentScope;
    private ScopeMetrics.Builder scopeBuilder;
    private int size;

    Parts(int maxBytes) {
      this.maxBytes = maxBytes;
    }

    void add(ResourceMetrics resource, ScopeMetrics scope, Metric metric) {
      int metricSize = metric.getSerializedSize() + 8;
      if (scopeBuilder != null && size + metricSize > maxBytes - OVERHEAD) {
        flushPart();
      }
      if (scopeBuilder == null || resource != currentResource || scope != currentScope) {
        closeScope();
        currentResource = resource;
        currentScope = scope;
        scopeBuilder = ScopeMetrics.newBuilder().setScope(scope.getScope()).setSchemaUrl(scope.getSchemaUrl());
        size += resource.getResource().getSerializedSize() + scope.getScope().getSerializedSize() + 16;
      }
      scopeBuilder.addMetrics(metric);
      size += metricSize;
    }

    private void closeScope() {
      if (scopeBuilder != null) {
        current.addResourceMetrics(ResourceMetrics.newBuilder().setResource(currentResource.getResource())
            .setSchemaUrl(currentResource.getSchemaUrl()).addScopeMetrics(scopeBuilder));
        scopeBuilder = null;
      }
    }

    private void flushPart() {
      closeScope();
      if (current.getResourceMetricsCount() > 0) {
        done.add(current.build());
      }
      current = ExportMetricsServiceRequest.newBuilder();
      size = 0;
    }

    List<ExportMetricsServiceRequest> finish() {
      flushPart();
      return List.copyOf(done);
    }
  }
}
