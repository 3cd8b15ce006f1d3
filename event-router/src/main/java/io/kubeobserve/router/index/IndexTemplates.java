package io.kubeobserve.router.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.router.RouterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the index templates: one component template holding the mappings
 * ({@code kube-observe@mappings}, from {@code mappings.json}) and, per dataset, an index template
 * {@code kube-observe-<dataset>} for {@code logs-<dataset>-*} with {@code data_stream}, the
 * configured priority (above the 100 of the built-in {@code logs-*-*} template, so ours win),
 * shards, replicas, refresh interval and retention. Installing is a PUT of the same content:
 * idempotent, and safe when several replicas do it at once.
 */
public final class IndexTemplates {

  private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Version in the templates' {@code _meta}; raise it when the mappings change. */
  public static final int VERSION = 1;
  public static final String MAPPINGS_COMPONENT = "kube-observe@mappings";

  private final RouterConfig.Templates templates;
  private final RouterConfig.Retention retention;

  public IndexTemplates(RouterConfig.Templates templates, RouterConfig.Retention retention) {
    this.templates = templates;
    this.retention = retention;
  }

  /** The index template's name for a data stream's dataset. */
  public static String templateName(DataStream stream) {
    return "kube-observe-" + stream.dataset();
  }

  /** PUTs the component template and one index template per data stream. */
  public void install(RestClient client, List<DataStream> streams) throws IOException {
    put(client, "/_component_template/" + MAPPINGS_COMPONENT, componentTemplate());
    for (DataStream stream : streams) {
      put(client, "/_index_template/" + templateName(stream), indexTemplate(stream));
    }
    LOG.info("index templates installed for {} (priority {}, retention {})", streams, templates.priority(),
        describeRetention());
  }

  ObjectNode componentTemplate() {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("template").set("mappings", mappings());
    meta(body);
    return body;
  }

  ObjectNode indexTemplate(DataStream stream) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("index_patterns").add(stream.indexPattern());
    body.putObject("data_stream");
    body.put("priority", templates.priority());
    body.putArray("composed_of").add(MAPPINGS_COMPONENT);
    ObjectNode template = body.putObject("template");
    ObjectNode settings = template.putObject("settings");
    settings.put("index.number_of_shards", templates.shards());
    settings.put("index.number_of_replicas", templates.replicas());
    settings.put("index.refresh_interval", templates.refreshInterval());
    switch (retention.mode()) {
      case LIFECYCLE -> template.putObject("lifecycle").put("data_retention", timeValue(retention.period()));
      case ILM -> settings.put("index.lifecycle.name", retention.ilmPolicy().orElseThrow());
      case NONE -> { }
    }
    meta(body);
    return body;
  }

  private String describeRetention() {
    return switch (retention.mode()) {
      case LIFECYCLE -> "data stream lifecycle, " + timeValue(retention.period());
      case ILM -> "ILM policy " + retention.ilmPolicy().orElseThrow();
      case NONE -> "none";
    };
  }

  private static void meta(ObjectNode body) {
    body.putObject("_meta").put("managed_by", "kube-observe").put("version", VERSION);
  }

  private static ObjectNode mappings() {
    try (InputStream in = IndexTemplates.class.getResourceAsStream("mappings.json")) {
      if (in == null) {
        throw new IllegalStateException("mappings.json is missing from the classpath");
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An Elasticsearch time value: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s} or {@code 500ms}. */
  static String timeValue(Duration duration) {
    long millis = duration.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (millis % units[i] == 0) {
        return millis / units[i] + names[i];
      }
    }
    return millis + "ms";
  }

  private static void put(RestClient client, String path, ObjectNode body) throws IOException {
    Request request = new Request("PUT", path);
    request.setEntity(new NStringEntity(JSON.writeValueAsString(body), ContentType.APPLICATION_JSON));
    client.performRequest(request);
  }
}
