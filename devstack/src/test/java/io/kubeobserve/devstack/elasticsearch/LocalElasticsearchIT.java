package io.kubeobserve.devstack.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kubeobserve.devstack.junit.WithElasticsearch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithElasticsearch
class LocalElasticsearchIT {

  /** A document as the pipeline writes them: a timestamped log line. */
  record LogLine(@JsonProperty("@timestamp") String timestamp, String level, String message) {}

  private static LocalElasticsearch shared;

  @BeforeAll
  static void remember(LocalElasticsearch elasticsearch) {
    shared = elasticsearch;
  }

  @Test
  void oneServerServesLifecycleMethodsAndTests(LocalElasticsearch elasticsearch) throws Exception {
    assertThat(elasticsearch).isSameAs(shared);
    assertThat(elasticsearch.httpUrl()).startsWith("http://127.0.0.1:");
    assertThat(elasticsearch.client().cluster().health().status())
        .isIn(HealthStatus.Green, HealthStatus.Yellow);
  }

  @Test
  void indexesRefreshesAndSearchesDocuments(LocalElasticsearch elasticsearch) throws Exception {
    ElasticsearchClient client = elasticsearch.client();
    String index = "devstack-it-documents";
    List<LogLine> lines =
        List.of(
            new LogLine("2025-01-01T00:00:00Z", "INFO", "alpha started"),
            new LogLine("2025-01-01T00:00:01Z", "WARN", "beta is slow"),
            new LogLine("2025-01-01T00:00:02Z", "INFO", "gamma finished"));
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    for (int i = 0; i < lines.size(); i++) {
      String id = "line-" + i;
      LogLine line = lines.get(i);
      bulk.operations(op -> op.index(doc -> doc.index(index).id(id).document(line)));
    }
    BulkResponse indexed = client.bulk(bulk.build());
    assertThat(indexed.errors()).isFalse();
    assertThat(indexed.items()).hasSize(3);

    client.indices().refresh(refresh -> refresh.index(index));

    assertThat(client.count(count -> count.index(index)).count()).isEqualTo(3);
    SearchResponse<LogLine> found =
        client.search(
            search ->
                search
                    .index(index)
                    .query(query -> query.match(match -> match.field("message").query("beta"))),
            LogLine.class);
    assertThat(found.hits().total().value()).isEqualTo(1);
    Hit<LogLine> hit = found.hits().hits().get(0);
    assertThat(hit.id()).isEqualTo("line-1");
    assertThat(hit.source()).isNotNull();
    assertThat(hit.source().level()).isEqualTo("WARN");
    assertThat(hit.source().timestamp()).isEqualTo("2025-01-01T00:00:01Z");
  }

  @Test
  void writesIntoADataStreamThroughAnIndexTemplate(LocalElasticsearch elasticsearch)
      throws Exception {
    ElasticsearchClient client = elasticsearch.client();
    client
        .indices()
        .putIndexTemplate(
            template ->
                template
                    .name("devstack-it-logs")
                    .indexPatterns("devstack-it-logs-*")
                    .dataStream(dataStream -> dataStream)
                    .template(
                        settings ->
                            settings.mappings(
                                mappings ->
                                    mappings
                                        .properties("@timestamp", p -> p.date(date -> date))
                                        .properties("level", p -> p.keyword(keyword -> keyword)))));
    String dataStream = "devstack-it-logs-app";
    BulkRequest.Builder bulk = new BulkRequest.Builder();
    for (LogLine line :
        List.of(
            new LogLine("2025-01-01T00:00:00Z", "INFO", "first"),
            new LogLine("2025-01-01T00:00:05Z", "ERROR", "second"))) {
      bulk.operations(op -> op.create(create -> create.index(dataStream).document(line)));
    }
    BulkResponse created = client.bulk(bulk.build());
    assertThat(created.errors()).isFalse();
    assertThat(created.items())
        .allSatisfy(item -> assertThat(item.index()).startsWith(".ds-" + dataStream + "-"));

    client.indices().refresh(refresh -> refresh.index(dataStream));

    assertThat(client.count(count -> count.index(dataStream)).count()).isEqualTo(2);
    SearchResponse<LogLine> errors =
        client.search(
            search ->
                search
                    .index(dataStream)
                    .query(query -> query.term(term -> term.field("level").value("ERROR"))),
            LogLine.class);
    assertThat(errors.hits().hits())
        .singleElement()
        .satisfies(hit -> assertThat(hit.source().message()).isEqualTo("second"));
  }

  @Test
  void aServerThatCannotStartFailsWithTheEndOfItsLog() {
    assertThatThrownBy(
            () -> LocalElasticsearch.builder().setting("devstack.no.such.setting", "1").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("elasticsearch exited with code")
        .hasMessageContaining("unknown setting [devstack.no.such.setting]");
  }

  @Test
  @SuppressWarnings("try") // closes inside the try block on purpose: closing twice is harmless
  void startsAnotherServerWithSecurityAndDeletesItsFilesOnClose() throws Exception {
    Path logFile;
    try (LocalElasticsearch secured =
        LocalElasticsearch.builder().security("devstack-secret").start()) {
      logFile = secured.logFile();
      assertThat(secured.httpPort()).isNotEqualTo(shared.httpPort());
      HttpResponse<String> anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(secured.httpUrl() + "/_cluster/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(secured.client().cluster().health().clusterName())
          .isEqualTo("kube-observe-devstack");
      secured.close();
    }
    assertThat(Files.exists(logFile)).isFalse();
  }
}
