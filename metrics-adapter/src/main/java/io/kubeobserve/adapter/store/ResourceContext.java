package io.kubeobserve.adapter.store;

import io.kubeobserve.adapter.translate.PrometheusNames;
import io.kubeobserve.core.contract.Attributes;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * What an OTLP resource contributes to its series' labels.
 *
 * <p>A resource with {@code kube_observe.scrape.path} holds metrics relayed from a Prometheus
 * endpoint ({@code verbatim}): its series get {@code node} ({@code k8s.node.name}), {@code job}
 * ({@code kube_observe.scrape.job}) and {@code metrics_path} ({@code kube_observe.scrape.path}),
 * the labels a direct scrape of the kubelet gives them. Other resources (such as the kubelet's
 * {@code /stats/summary}) contribute every attribute but {@code k8s.cluster.name} and
 * {@code kube_observe.*} under its standard label name ({@code k8s.pod.name} →
 * {@code k8s_pod_name}), plus {@code node}. With a cluster label configured, it carries
 * {@code k8s.cluster.name}. A data point's own labels win over its resource's.
 */
final class ResourceContext {

  static final String NODE_LABEL = "node";
  static final String JOB_LABEL = "job";
  static final String METRICS_PATH_LABEL = "metrics_path";

  final boolean verbatim;
  final String[] names;
  final String[] values;
  /** The namespace from {@code k8s.namespace.name}, {@code ""} when absent. */
  final String namespace;
  final long seedHi;
  final long seedLo;

  private ResourceContext(boolean verbatim, String[] names, String[] values, String namespace, long seedHi,
      long seedLo) {
    this.verbatim = verbatim;
    this.names = names;
    this.values = values;
    this.namespace = namespace;
    this.seedHi = seedHi;
    this.seedLo = seedLo;
  }

  static ResourceContext of(Resource resource, String clusterLabel, long seedHi, long seedLo) {
    List<KeyValue> attributes = resource.getAttributesList();
    boolean verbatim = false;
    String node = null;
    String cluster = null;
    String namespace = "";
    String job = null;
    String path = null;
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (KeyValue attribute : attributes) {
      String key = attribute.getKey();
      String value = text(attribute.getValue());
      switch (key) {
        case Attributes.KUBE_OBSERVE_SCRAPE_PATH -> {
          verbatim = true;
          path = value;
        }
        case Attributes.KUBE_OBSERVE_SCRAPE_JOB -> job = value;
        case Attributes.K8S_NODE_NAME -> node = value;
        case Attributes.K8S_CLUSTER_NAME -> cluster = value;
        case Attributes.K8S_NAMESPACE_NAME -> namespace = value;
        default -> { }
      }
      if (value != null && !key.equals(Attributes.K8S_CLUSTER_NAME) && !key.startsWith("kube_observe.")
          && !key.isEmpty()) {
        names.add(PrometheusNames.labelName(key));
        values.add(value);
      }
    }
    List<String> labelNames = new ArrayList<>();
    List<String> labelValues = new ArrayList<>();
    if (verbatim) {
      add(labelNames, labelValues, JOB_LABEL, job);
      add(labelNames, labelValues, METRICS_PATH_LABEL, path);
    } else {
      for (int i = 0; i < names.size(); i++) {
        add(labelNames, labelValues, names.get(i), values.get(i));
      }
    }
    add(labelNames, labelValues, NODE_LABEL, node);
    if (!clusterLabel.isEmpty()) {
      add(labelNames, labelValues, clusterLabel, cluster);
    }
    return new ResourceContext(verbatim, labelNames.toArray(String[]::new), labelValues.toArray(String[]::new),
        namespace, seedHi, seedLo);
  }

  private static void add(List<String> names, List<String> values, String name, String value) {
    if (value != null && !value.isEmpty() && !names.contains(name)) {
      names.add(name);
      values.add(value);
    }
  }

  /** An attribute value as label text; null for arrays, maps and unset values. */
  static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      default -> null;
    };
  }
}
