package io.kubeobserve.router.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a bulk response filtered by {@link #FILTER_PATH}: when {@code errors} is false every item
 * succeeded and the items are not read at all; otherwise each item's status and error, in order.
 */
final class BulkResponseParser {

  /** Keeps the response small: whether any item failed, and each item's status and error. */
  static final String FILTER_PATH = "errors,items.*.status,items.*.error.type,items.*.error.reason,"
      + "items.*.error.caused_by.type,items.*.error.caused_by.reason";

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private BulkResponseParser() {}

  /**
   * @param expected how many documents the request held
   * @return one result per document, in request order
   * @throws IOException when the response is not a bulk response of {@code expected} items
   */
  static List<ItemResult> parse(InputStream body, int expected) throws IOException {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("bulk response is not a JSON object");
      }
      List<ItemResult> results = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if ("errors".equals(field)) {
          if (!parser.getBooleanValue()) {
            return Collections.nCopies(expected, ItemResult.CREATED);
          }
        } else if ("items".equals(field)) {
          results = items(parser);
        } else {
          parser.skipChildren();
        }
      }
      if (results == null || results.size() != expected) {
        throw new IOException("bulk response has " + (results == null ? "no" : results.size()) + " items, expected "
            + expected);
      }
      return results;
    }
  }

  private static List<ItemResult> items(JsonParser parser) throws IOException {
    List<ItemResult> results = new ArrayList<>();
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new IOException("bulk response items is not an array");
    }
    while (parser.nextToken() == JsonToken.START_OBJECT) {
      parser.nextToken(); // the action name
      parser.nextToken(); // its object
      int status = 0;
      String error = "";
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if ("status".equals(field)) {
          status = parser.getIntValue();
        } else if ("error".equals(field)) {
          error = error(parser);
        } else {
          parser.skipChildren();
        }
      }
      parser.nextToken(); // end of the item
      results.add(new ItemResult(status, error));
    }
    return results;
  }

  private static String error(JsonParser parser) throws IOException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      return parser.getValueAsString("unknown error");
    }
    String type = "";
    String reason = "";
    String cause = "";
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      switch (field) {
        case "type" -> type = parser.getValueAsString("");
        case "reason" -> reason = parser.getValueAsString("");
        case "caused_by" -> cause = error(parser);
        default -> parser.skipChildren();
      }
    }
    String text = type + ": " + reason;
    return cause.isEmpty() ? text : text + " (caused by " + cause + ")";
  }
}
