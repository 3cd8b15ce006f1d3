package io.kubeobserve.adapter.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.adapter.translate.PrometheusNames.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusNamesTest {

  /** The kubeletstats metrics (names, units, types of its metadata.yaml) and the specification's examples. */
  @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "k8s.node.memory.available | By | GAUGE | k8s_node_memory_available_bytes",
      "k8s.node.memory.working_set | By | GAUGE | k8s_node_memory_working_set_bytes",
      "k8s.node.cpu.time | s | MONOTONIC_COUNTER | k8s_node_cpu_time_seconds_total",
      "k8s.node.cpu.usage | {cpu} | GAUGE | k8s_node_cpu_usage",
      "k8s.node.memory.page_faults | 1 | GAUGE | k8s_node_memory_page_faults_ratio",
      "k8s.node.network.io | By | MONOTONIC_COUNTER | k8s_node_network_io_bytes_total",
      "k8s.node.network.errors | 1 | MONOTONIC_COUNTER | k8s_node_network_errors_total",
      "container.memory.rss | By | GAUGE | container_memory_rss_bytes",
      "k8s.volume.inodes.free | 1 | GAUGE | k8s_volume_inodes_free_ratio",
      "k8s.pod.volume.usage | By | NON_MONOTONIC_COUNTER | k8s_pod_volume_usage_bytes",
      "http.server.request.duration | s | HISTOGRAM | http_server_request_duration_seconds",
      "system.network.io | By/s | GAUGE | system_network_io_bytes_per_second",
      "requests.count | 1 | MONOTONIC_COUNTER | requests_count_total",
      "requests_total | '' | MONOTONIC_COUNTER | requests_total",
      "foo.bytes | By | GAUGE | foo_bytes",
      "cpu.utilization | 1 | GAUGE | cpu_utilization_ratio",
      "usage.ratio | 1 | GAUGE | usage_ratio",
      "temperature | Cel | GAUGE | temperature_celsius",
      "queue..depth__x | '' | GAUGE | queue_depth_x",
      "1xx.responses | '' | MONOTONIC_COUNTER | _1xx_responses_total",
      "db:queries | ms | SUMMARY | db:queries_milliseconds"})
  void metricNamesFollowTheStandardTranslation(String name, String unit, Kind kind, String expected) {
    assertThat(PrometheusNames.metricName(name, unit, kind)).isEqualTo(expected);
    assertThat(PrometheusNames.isValidMetricName(expected)).isTrue();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "k8s.pod.name | k8s_pod_name",
      "k8s.namespace.name | k8s_namespace_name",
      "interface | interface",
      "http.response.status_code | http_response_status_code",
      "0abc | key_0abc",
      "a..b-c | a_b_c",
      "Grüße | Gr_e"})
  void labelNamesFollowTheStandardTranslation(String attribute, String expected) {
    assertThat(PrometheusNames.labelName(attribute)).isEqualTo(expected);
  }
}
