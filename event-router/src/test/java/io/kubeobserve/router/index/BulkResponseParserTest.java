package io.kubeobserve.router.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkResponseParserTest {

  private static List<ItemResult> parse(String json, int expected) throws IOException {
    return BulkResponseParser.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), expected);
  }

  @Test
  void noErrorsMeansEveryDocumentIndexedWithoutReadingItems() throws IOException {
    assertThat(parse("{\"errors\":false,\"items\":[{\"create\":{\"status\":201}}]}", 3))
        .hasSize(3).allMatch(result -> result.outcome() == ItemResult.Outcome.INDEXED);
  }

  @Test
  void eachItemIsClassified() throws IOException {
    List<ItemResult> results = parse("""
        {"errors":true,"items":[
          {"create":{"status":201}},
          {"create":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"[x]: version conflict"}}},
          {"create":{"status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected"}}},
          {"create":{"status":400,"error":{"type":"document_parsing_exception","reason":"failed to parse field [a]",
            "caused_by":{"type":"illegal_argument_exception","reason":"not a boolean"}}}},
          {"create":{"status":503,"error":{"type":"unavailable_shards_exception","reason":"primary not active"}}}]}
        """, 5);
    assertThat(results).extracting(ItemResult::outcome).containsExactly(ItemResult.Outcome.INDEXED,
        ItemResult.Outcome.ALREADY_INDEXED, ItemResult.Outcome.RETRY, ItemResult.Outcome.REJECTED,
        ItemResult.Outcome.RETRY);
    assertThat(results.get(3).error()).isEqualTo("document_parsing_exception: failed to parse field [a]"
        + " (caused by illegal_argument_exception: not a boolean)");
  }

  @Test
  void aResponseWithTheWrongNumberOfItemsIsAnError() {
    assertThatThrownBy(() -> parse("{\"errors\":true,\"items\":[{\"create\":{\"status\":201}}]}", 2))
        .isInstanceOf(IOException.class).hasMessageContaining("expected 2");
  }
}
