package io.kubeobserve.adapter.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.adapter.translate.MetricTranslation.DataKind;
import io.kubeobserve.adapter.translate.MetricTranslation.Exposed;
import io.kubeobserve.adapter.translate.MetricTranslation.Rejected;
import org.junit.jupiter.api.Test;

class MetricTranslationTest {

  private static MetricTranslation.Result verbatim(String name, DataKind kind, boolean monotonic) {
    return MetricTranslation.translate(name, "", kind, monotonic, true, false, true);
  }

  @Test
  void cadvisorNamesAreKeptWhateverTheLibraryReserves() {
    assertThat(verbatim("container_cpu_usage_seconds_total", DataKind.SUM, true))
        .isEqualTo(new Exposed("container_cpu_usage_seconds", FamilyType.COUNTER, "container_cpu_usage_seconds_total"));
    assertThat(verbatim("container_memory_failcnt", DataKind.SUM, true))
        .isEqualTo(new Exposed("container_memory_failcnt", FamilyType.UNKNOWN, "container_memory_failcnt"));
    assertThat(verbatim("container_fs_inodes_total", DataKind.GAUGE, false))
        .isEqualTo(new Exposed("container_fs_inodes", FamilyType.COUNTER, "container_fs_inodes_total"));
    assertThat(verbatim("cadvisor_version_info", DataKind.GAUGE, false))
        .isEqualTo(new Exposed("cadvisor_version", FamilyType.INFO, "cadvisor_version_info"));
    assertThat(verbatim("container_memory_working_set_bytes", DataKind.GAUGE, false))
        .isEqualTo(new Exposed("container_memory_working_set_bytes", FamilyType.GAUGE,
            "container_memory_working_set_bytes"));
    assertThat(MetricTranslation.translate("legacy", "", DataKind.GAUGE, false, false, true, true))
        .isEqualTo(new Exposed("legacy", FamilyType.UNKNOWN, "legacy"));
  }

  @Test
  void kubeletstatsNamesAreTranslated() {
    assertThat(MetricTranslation.translate("k8s.node.cpu.time", "s", DataKind.SUM, true, true, false, false))
        .isEqualTo(new Exposed("k8s_node_cpu_time_seconds", FamilyType.COUNTER, "k8s_node_cpu_time_seconds_total"));
    assertThat(MetricTranslation.translate("k8s.node.memory.available", "By", DataKind.GAUGE, false, false, false, false))
        .isEqualTo(new Exposed("k8s_node_memory_available_bytes", FamilyType.GAUGE, "k8s_node_memory_available_bytes"));
  }

  @Test
  void whatPrometheusCannotHoldIsRejectedWithAReason() {
    assertThat(MetricTranslation.translate("x", "", DataKind.SUM, true, false, false, true))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo("delta_temporality"));
    assertThat(verbatim("x", DataKind.EXPONENTIAL_HISTOGRAM, false))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo("unsupported_type"));
    assertThat(verbatim("x_created", DataKind.GAUGE, false))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo("reserved_suffix"));
    assertThat(verbatim("x_bucket", DataKind.HISTOGRAM, false))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo("reserved_suffix"));
    assertThat(verbatim("not a name", DataKind.GAUGE, false))
        .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo("invalid_name"));
  }
}
