package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * JSON and time helpers shared by the API server's classes and the simulated cluster that drives
 * its store: one {@link ObjectMapper}, metadata access, and the API's time formats.
 */
public final class Json {

  /** The mapper of the simulation (plain Jackson defaults). */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  private Json() {}

  /** Parses an object body; a body that is not a JSON object is a 400. */
  static ObjectNode parseObject(byte[] body) {
    JsonNode node = parse(body);
    if (!(node instanceof ObjectNode object)) {
      throw StatusException.badRequest("the request body is not a JSON object");
    }
    return object;
  }

  static JsonNode parse(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw StatusException.badRequest("cannot parse the request body: " + e.getMessage());
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code metadata.<field>} as text, or empty. */
  public static String meta(JsonNode object, String field) {
    return object.path("metadata").path(field).asText("");
  }

  /** The metadata object, created when missing. */
  public static ObjectNode metadata(ObjectNode object) {
    JsonNode metadata = object.get("metadata");
    if (metadata instanceof ObjectNode node) {
      return node;
    }
    return object.putObject("metadata");
  }

  /** RFC 3339 with seconds, as {@code metav1.Time} is serialized. */
  public static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** RFC 3339 with microseconds, as {@code metav1.MicroTime} is serialized. */
  public static String microTime(Instant instant) {
    return MICRO.format(instant);
  }

  /** Parses an RFC 3339 time, or returns {@code null} when absent or unparseable. */
  public static Instant parseTime(JsonNode node) {
    if (node == null || !node.isTextual() || node.asText().isEmpty()) {
      return null;
    }
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(node.asText(), Instant::from);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
