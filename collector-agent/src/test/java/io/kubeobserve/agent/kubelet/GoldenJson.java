package io.kubeobserve.agent.kubelet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A readable, diffable JSON form of OTLP metrics for golden files: one object per resource and
 * metric (name, unit, type, description, metadata), and each data point on a line of its own with
 * its attributes as an object (in order), its value (integers as integers, doubles as JSON numbers,
 * NaN and infinities as strings) and RFC 3339 times. Compared structurally ({@link Golden#assertJsonMatches}).
 */
final class GoldenJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GoldenJson() {}

  static String of(ExportMetricsServiceRequest request) {
    StringBuilder out = new StringBuilder("{\"resourceMetrics\": [\n");
    List<ResourceMetrics> resources = request.getResourceMetricsList();
    for (int r = 0; r < resources.size(); r++) {
      ResourceMetrics resource = resources.get(r);
      out.append("  {\"resource\": ").append(write(attributes(resource.getResource().getAttributesList())))
          .append(", \"scopes\": [\n");
      for (int s = 0; s < resource.getScopeMetricsCount(); s++) {
        ScopeMetrics scope = resource.getScopeMetrics(s);
        out.append("    {\"scope\": ").append(write(scope.getScope().getName())).append(", \"metrics\": [\n");
        for (int m = 0; m < scope.getMetricsCount(); m++) {
          metric(out, scope.getMetrics(m));
          out.append(m < scope.getMetricsCount() - 1 ? ",\n" : "\n");
        }
        out.append("    ]}").append(s < resource.getScopeMetricsCount() - 1 ? ",\n" : "\n");
      }
      out.append("  ]}").append(r < resources.size() - 1 ? ",\n" : "\n");
    }
    return out.append("]}\n").toString();
  }

  private static void metric(StringBuilder out, Metric metric) {
    ObjectNode head = JSON.createObjectNode().put("name", metric.getName()).put("unit", metric.getUnit());
    List<String> points = new ArrayList<>();
    switch (metric.getDataCase()) {
      case GAUGE -> {
        head.put("type", "gauge");
        metric.getGauge().getDataPointsList().forEach(p -> points.add(write(number(p))));
      }
      case SUM -> {
        head.put("type", "sum").put("monotonic", metric.getSum().getIsMonotonic())
            .put("temporality", temporality(metric.getSum().getAggregationTemporalityValue()));
        metric.getSum().getDataPointsList().forEach(p -> points.add(write(number(p))));
      }
      case HISTOGRAM -> {
        head.put("type", "histogram")
            .put("temporality", temporality(metric.getHistogram().getAggregationTemporalityValue()));
        metric.getHistogram().getDataPointsList().forEach(p -> points.add(write(histogram(p))));
      }
      case SUMMARY -> {
        head.put("type", "summary");
        metric.getSummary().getDataPointsList().forEach(p -> points.add(write(summary(p))));
      }
      default -> head.put("type", metric.getDataCase().name());
    }
    head.put("description", metric.getDescription());
    if (metric.getMetadataCount() > 0) {
      head.set("metadata", attributes(metric.getMetadataList()));
    }
    String opening = write(head);
    out.append("      ").append(opening, 0, opening.length() - 1).append(", \"points\": [\n");
    for (int i = 0; i < points.size(); i++) {
      out.append("        ").append(points.get(i)).append(i < points.size() - 1 ? ",\n" : "\n");
    }
    out.append("      ]}");
  }

  private static String temporality(int value) {
    return value == 2 ? "cumulative" : value == 1 ? "delta" : "unspecified";
  }

  private static ObjectNode number(NumberDataPoint point) {
    ObjectNode node = JSON.createObjectNode();
    node.set("attributes", attributes(point.getAttributesList()));
    if (point.getValueCase() == NumberDataPoint.ValueCase.AS_INT) {
      node.put("int", point.getAsInt());
    } else {
      putDouble(node, "double", point.getAsDouble());
    }
    return times(node, point.getStartTimeUnixNano(), point.getTimeUnixNano());
  }

  private static ObjectNode histogram(HistogramDataPoint point) {
    ObjectNode node = JSON.createObjectNode();
    node.set("attributes", attributes(point.getAttributesList()));
    node.put("count", point.getCount());
    if (point.hasSum()) {
      putDouble(node, "sum", point.getSum());
    }
    point.getExplicitBoundsList().forEach(node.putArray("bounds")::add);
    point.getBucketCountsList().forEach(node.putArray("buckets")::add);
    return times(node, point.getStartTimeUnixNano(), point.getTimeUnixNano());
  }

  private static ObjectNode summary(SummaryDataPoint point) {
    ObjectNode node = JSON.createObjectNode();
    node.set("attributes", attributes(point.getAttributesList()));
    node.put("count", point.getCount());
    putDouble(node, "sum", point.getSum());
    ObjectNode quantiles = node.putObject("quantiles");
    point.getQuantileValuesList().forEach(q -> putDouble(quantiles, Double.toString(q.getQuantile()), q.getValue()));
    return times(node, point.getStartTimeUnixNano(), point.getTimeUnixNano());
  }

  private static void putDouble(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.put(field, Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf");
    }
  }

  private static ObjectNode times(ObjectNode node, long start, long time) {
    if (start != 0) {
      node.put("start", instant(start));
    }
    node.put("time", instant(time));
    return node;
  }

  private static String instant(long nanos) {
    return Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L).toString();
  }

  private static ObjectNode attributes(List<KeyValue> attributes) {
    ObjectNode node = JSON.createObjectNode();
    for (KeyValue kv : attributes) {
      AnyValue value = kv.getValue();
      switch (value.getValueCase()) {
        case STRING_VALUE -> node.put(kv.getKey(), value.getStringValue());
        case INT_VALUE -> node.put(kv.getKey(), value.getIntValue());
        case BOOL_VALUE -> node.put(kv.getKey(), value.getBoolValue());
        case DOUBLE_VALUE -> node.put(kv.getKey(), value.getDoubleValue());
        default -> node.put(kv.getKey(), value.toString().strip());
      }
    }
    return node;
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
