package io.kubeobserve.router.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.router.RouterConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexTemplatesTest {

  private static final DataStream LOGS = new DataStream("kubernetes.container_logs", "prod");

  @Test
  void indexTemplateMatchesTheDatasetAboveTheBuiltInPriorityWithLifecycleRetention() {
    IndexTemplates templates = new IndexTemplates(new RouterConfig.Templates(true, 200, 1, 1, "5s"),
        new RouterConfig.Retention(RouterConfig.RetentionMode.LIFECYCLE, Duration.ofDays(30), Optional.empty()));
    ObjectNode template = templates.indexTemplate(LOGS);
    assertThat(template.path("index_patterns").get(0).asText()).isEqualTo("logs-kubernetes.container_logs-*");
    assertThat(template.path("priority").asInt()).isEqualTo(200);
    assertThat(template.has("data_stream")).isTrue();
    assertThat(template.path("template").path("lifecycle").path("data_retention").asText()).isEqualTo("30d");
    assertThat(template.path("composed_of").get(0).asText()).isEqualTo(IndexTemplates.MAPPINGS_COMPONENT);
    assertThat(templates.componentTemplate().path("template").path("mappings").path("properties")
        .path("@timestamp").path("type").asText()).isEqualTo("date_nanos");
  }

  @Test
  void ilmRetentionNamesThePolicy() {
    IndexTemplates templates = new IndexTemplates(new RouterConfig.Templates(true, 150, 2, 0, "1s"),
        new RouterConfig.Retention(RouterConfig.RetentionMode.ILM, Duration.ofDays(7), Optional.of("logs-7d")));
    ObjectNode template = templates.indexTemplate(LOGS);
    assertThat(template.path("template").path("settings").path("index.lifecycle.name").asText()).isEqualTo("logs-7d");
    assertThat(template.path("template").has("lifecycle")).isFalse();
  }

  @Test
  void timeValues() {
    assertThat(IndexTemplates.timeValue(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(IndexTemplates.timeValue(Duration.ofHours(36))).isEqualTo("36h");
    assertThat(IndexTemplates.timeValue(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }
}
