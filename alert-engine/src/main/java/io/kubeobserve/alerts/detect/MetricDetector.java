package io.kubeobserve.alerts.detect;

import io.kubeobserve.alerts.AlertsConfig.ThresholdRule;
import io.kubeobserve.alerts.detect.Observation.Kind;
import io.kubeobserve.alerts.incident.Matchers;
import io.kubeobserve.alerts.notify.Notification.Labels;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates the threshold rules ({@code thresholds}) on the gauges and sums of {@code k8s-metrics}:
 * each data point of a rule's metric (matching its {@code match}) becomes one sample observation,
 * breached or not, for the series identified by the rule, the resource and the point's attributes.
 */
public final class MetricDetector {

  private static final List<String> LABEL_ATTRIBUTES = List.of(
      Attributes.K8S_NAMESPACE_NAME, Attributes.K8S_POD_NAME, Attributes.K8S_CONTAINER_NAME,
      Attributes.K8S_VOLUME_NAME);

  private final List<ThresholdRule> rules;

  public MetricDetector(List<ThresholdRule> rules) {
    this.rules = List.copyOf(rules);
  }

  public List<Observation> detect(ExportMetricsServiceRequest request) {
    List<Observation> observations = new ArrayList<>();
    if (rules.isEmpty()) {
      return observations;
    }
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      Map<String, Metric> metrics = new HashMap<>();
      for (ScopeMetrics scope : resourceMetrics.getScopeMetricsList()) {
        scope.getMetricsList().forEach(metric -> metrics.putIfAbsent(metric.getName(), metric));
      }
      Map<String, String> resource = strings(resourceMetrics.getResource().getAttributesList());
      for (ThresholdRule rule : rules) {
        Metric metric = metrics.get(rule.metric());
        if (metric != null) {
          Metric divisor = rule.divideBy().isEmpty() ? null : metrics.get(rule.divideBy());
          evaluate(rule, metric, divisor, resource, observations);
        }
      }
    }
    return observations;
  }

  private static void evaluate(ThresholdRule rule, Metric metric, Metric divisor, Map<String, String> resource,
      List<Observation> out) {
    if (!rule.divideBy().isEmpty() && divisor == null) {
      return;
    }
    for (NumberDataPoint point : points(metric)) {
      Map<String, String> attributes = new TreeMap<>(resource);
      attributes.putAll(strings(point.getAttributesList()));
      if (!Matchers.matchAll(rule.match(), attributes)) {
        continue;
      }
      double value = number(point);
      if (divisor != null) {
        NumberDataPoint denominator = sameSeries(divisor, point);
        if (denominator == null || number(denominator) == 0) {
          continue;
        }
        value = value / number(denominator);
      }
      out.add(observation(rule, attributes, value, point.getTimeUnixNano() / 1_000_000));
    }
  }

  private static Observation observation(ThresholdRule rule, Map<String, String> attributes, double value,
      long timeMillis) {
    String node = attributes.getOrDefault(Attributes.K8S_NODE_NAME, "");
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.CLUSTER, attributes.getOrDefault(Attributes.K8S_CLUSTER_NAME, ""));
    labels.put(Labels.NODE, node);
    labels.put(Labels.NAMESPACE, attributes.getOrDefault(Attributes.K8S_NAMESPACE_NAME, ""));
    labels.put(Labels.POD, attributes.getOrDefault(Attributes.K8S_POD_NAME, ""));
    labels.put(Labels.CONTAINER, attributes.getOrDefault(Attributes.K8S_CONTAINER_NAME, ""));
    labels.values().removeIf(String::isEmpty);
    StringBuilder series = new StringBuilder(node);
    for (String key : LABEL_ATTRIBUTES) {
      String part = attributes.get(key);
      if (part != null) {
        series.append('/').append(part);
      }
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("Metric", rule.divideBy().isEmpty() ? rule.metric() : rule.metric() + " / " + rule.divideBy());
    details.put("Value", format(value));
    details.put("Threshold", rule.comparison().name().toLowerCase() + " " + format(rule.threshold()));
    details.put("For", rule.forDuration().toString().substring(2).toLowerCase());
    Kind kind = rule.breached(value) ? Kind.SAMPLE_BREACHED : Kind.SAMPLE_OK;
    return new Observation(kind, rule.name(), node, series.toString(), rule.name() + "/" + series, "", timeMillis,
        rule.severity(), labels, Map.of(), Map.of(), details, List.of(), value, rule.forDuration().toMillis());
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
        : String.format(java.util.Locale.ROOT, "%.3f", value);
  }

  private static List<NumberDataPoint> points(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsList();
      case SUM -> metric.getSum().getDataPointsList();
      default -> List.of();
    };
  }

  private static NumberDataPoint sameSeries(Metric metric, NumberDataPoint point) {
    Map<String, String> wanted = strings(point.getAttributesList());
    for (NumberDataPoint candidate : points(metric)) {
      if (strings(candidate.getAttributesList()).equals(wanted)) {
        return candidate;
      }
    }
    return null;
  }

  private static double number(NumberDataPoint point) {
    return point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? point.getAsInt() : point.getAsDouble();
  }

  private static Map<String, String> strings(List<KeyValue> attributes) {
    Map<String, String> values = new HashMap<>();
    for (KeyValue attribute : attributes) {
      OtlpValues.stringAttribute(List.of(attribute), attribute.getKey())
          .ifPresent(value -> values.put(attribute.getKey(), value));
    }
    return values;
  }
}
