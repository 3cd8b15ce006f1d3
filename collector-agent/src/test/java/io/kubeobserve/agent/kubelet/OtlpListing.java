package io.kubeobserve.agent.kubelet;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A readable, diffable listing of OTLP metrics for golden files: one line per resource, metric and
 * data point. With {@code firstPointOnly}, a metric lists its point count and its first point.
 */
final class OtlpListing {

  private OtlpListing() {}

  static String of(ExportMetricsServiceRequest request, boolean firstPointOnly) {
    StringBuilder out = new StringBuilder();
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      out.append("resource ").append(attributes(resource.getResource().getAttributesList())).append('\n');
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        out.append(" scope ").append(scope.getScope().getName()).append('\n');
        for (Metric metric : scope.getMetricsList()) {
          List<String> points = points(metric);
          out.append("  metric ").append(metric.getName()).append(" [").append(metric.getUnit()).append("] ")
              .append(kind(metric));
          if (!metric.getMetadataList().isEmpty()) {
            out.append(" metadata").append(attributes(metric.getMetadataList()));
          }
          out.append(" \"").append(metric.getDescription()).append("\"");
          if (firstPointOnly) {
            out.append(" points=").append(points.size()).append('\n');
            out.append("   ").append(points.get(0)).append('\n');
          } else {
            out.append('\n');
            points.forEach(p -> out.append("   ").append(p).append('\n'));
          }
        }
      }
    }
    return out.toString();
  }

  private static String kind(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> "gauge";
      case SUM -> "sum(" + (metric.getSum().getIsMonotonic() ? "monotonic" : "non-monotonic") + ","
          + metric.getSum().getAggregationTemporality().name().replace("AGGREGATION_TEMPORALITY_", "").toLowerCase() + ")";
      case HISTOGRAM -> "histogram(" + metric.getHistogram().getAggregationTemporality().name()
          .replace("AGGREGATION_TEMPORALITY_", "").toLowerCase() + ")";
      case SUMMARY -> "summary";
      default -> metric.getDataCase().name();
    };
  }

  private static List<String> points(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsList().stream().map(OtlpListing::number).toList();
      case SUM -> metric.getSum().getDataPointsList().stream().map(OtlpListing::number).toList();
      case HISTOGRAM -> metric.getHistogram().getDataPointsList().stream().map(OtlpListing::histogram).toList();
      case SUMMARY -> metric.getSummary().getDataPointsList().stream().map(OtlpListing::summary).toList();
      default -> List.of();
    };
  }

  private static String number(NumberDataPoint point) {
    String value = point.getValueCase() == NumberDataPoint.ValueCase.AS_INT
        ? point.getAsInt() + "i" : Double.toString(point.getAsDouble());
    return attributes(point.getAttributesList()) + " " + value + times(point.getStartTimeUnixNano(),
        point.getTimeUnixNano());
  }

  private static String histogram(HistogramDataPoint point) {
    return attributes(point.getAttributesList()) + " count=" + point.getCount()
        + (point.hasSum() ? " sum=" + point.getSum() : "") + " bounds=" + point.getExplicitBoundsList()
        + " buckets=" + point.getBucketCountsList() + times(point.getStartTimeUnixNano(), point.getTimeUnixNano());
  }

  private static String summary(SummaryDataPoint point) {
    return attributes(point.getAttributesList()) + " count=" + point.getCount() + " sum=" + point.getSum()
        + " quantiles=" + point.getQuantileValuesList().stream().map(q -> q.getQuantile() + ":" + q.getValue())
        .collect(Collectors.joining(",", "[", "]")) + times(point.getStartTimeUnixNano(), point.getTimeUnixNano());
  }

  private static String times(long start, long time) {
    return (start == 0 ? "" : " start=" + instant(start)) + " time=" + instant(time);
  }

  private static String instant(long nanos) {
    return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L).toString();
  }

  static String attributes(List<KeyValue> attributes) {
    return attributes.stream().map(kv -> kv.getKey() + "=" + value(kv.getValue()))
        .collect(Collectors.joining(",", "{", "}"));
  }

  private static String value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> "\"" + value.getStringValue().replace("\\", "\\\\").replace("\"", "\\\"")
          .replace("\n", "\\n") + "\"";
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      default -> value.toString().strip();
    };
  }
}
