package io.kubeobserve.agent.kubelet;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;

/**
 * Renders OTLP metrics that came from a Prometheus endpoint back to the text format, as a consumer
 * relaying them would: names and labels verbatim, HELP from the description, TYPE from the data
 * (untyped from {@code prometheus.type=unknown}), point times as timestamps except the scrape time
 * (lines that had none). For the round-trip test.
 */
final class PrometheusTextRenderer {

  private PrometheusTextRenderer() {}

  static String render(ExportMetricsServiceRequest request, long scrapeNanos) {
    StringBuilder out = new StringBuilder();
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          String name = metric.getName();
          if (!metric.getDescription().isEmpty()) {
            out.append("# HELP ").append(name).append(' ')
                .append(metric.getDescription().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
          }
          boolean untyped = OtlpValues.stringAttribute(metric.getMetadataList(), Attributes.PROMETHEUS_TYPE)
              .filter("unknown"::equals).isPresent();
          switch (metric.getDataCase()) {
            case GAUGE -> {
              out.append("# TYPE ").append(name).append(untyped ? " untyped\n" : " gauge\n");
              metric.getGauge().getDataPointsList().forEach(p -> number(out, name, p, scrapeNanos));
            }
            case SUM -> {
              out.append("# TYPE ").append(name).append(" counter\n");
              metric.getSum().getDataPointsList().forEach(p -> number(out, name, p, scrapeNanos));
            }
            case HISTOGRAM -> {
              out.append("# TYPE ").append(name).append(" histogram\n");
              metric.getHistogram().getDataPointsList().forEach(p -> histogram(out, name, p, scrapeNanos));
            }
            case SUMMARY -> {
              out.append("# TYPE ").append(name).append(" summary\n");
              metric.getSummary().getDataPointsList().forEach(p -> summary(out, name, p, scrapeNanos));
            }
            default -> throw new IllegalArgumentException("cannot render " + metric.getDataCase());
          }
        }
      }
    }
    return out.toString();
  }

  private static void number(StringBuilder out, String name, NumberDataPoint point, long scrapeNanos) {
    double value = point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? point.getAsInt() : point.getAsDouble();
    line(out, name, point.getAttributesList(), null, null, value, point.getTimeUnixNano(), scrapeNanos);
  }

  private static void histogram(StringBuilder out, String name, HistogramDataPoint point, long scrapeNanos) {
    long cumulative = 0;
    for (int i = 0; i < point.getBucketCountsCount(); i++) {
      cumulative += point.getBucketCounts(i);
      String le = i < point.getExplicitBoundsCount() ? ProtobufExposition.format(point.getExplicitBounds(i)) : "+Inf";
      line(out, name + "_bucket", point.getAttributesList(), "le", le, cumulative, point.getTimeUnixNano(), scrapeNanos);
    }
    if (point.hasSum()) {
      line(out, name + "_sum", point.getAttributesList(), null, null, point.getSum(), point.getTimeUnixNano(), scrapeNanos);
    }
    line(out, name + "_count", point.getAttributesList(), null, null, point.getCount(), point.getTimeUnixNano(),
        scrapeNanos);
  }

  private static void summary(StringBuilder out, String name, SummaryDataPoint point, long scrapeNanos) {
    for (SummaryDataPoint.ValueAtQuantile q : point.getQuantileValuesList()) {
      line(out, name, point.getAttributesList(), "quantile", ProtobufExposition.format(q.getQuantile()), q.getValue(),
          point.getTimeUnixNano(), scrapeNanos);
    }
    line(out, name + "_sum", point.getAttributesList(), null, null, point.getSum(), point.getTimeUnixNano(), scrapeNanos);
    line(out, name + "_count", point.getAttributesList(), null, null, point.getCount(), point.getTimeUnixNano(),
        scrapeNanos);
  }

  private static void line(StringBuilder out, String name, List<KeyValue> labels, String extraName, String extraValue,
      double value, long timeNanos, long scrapeNanos) {
    out.append(name);
    if (!labels.isEmpty() || extraName != null) {
      out.append('{');
      boolean first = true;
      for (KeyValue label : labels) {
        out.append(first ? "" : ",").append(label.getKey()).append("=\"").append(escape(label.getValue().getStringValue()))
            .append('"');
        first = false;
      }
      if (extraName != null) {
        out.append(first ? "" : ",").append(extraName).append("=\"").append(extraValue).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(value(value));
    if (timeNanos != scrapeNanos) {
      out.append(' ').append(timeNanos / 1_000_000L);
    }
    out.append('\n');
  }

  private static String value(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
