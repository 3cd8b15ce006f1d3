package io.kubeobserve.alerts.silence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kubeobserve.alerts.JsonSerde;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silences API, JSON over HTTP:
 * <ul>
 *   <li>{@code GET /api/v1/silences}: every silence, configured or added, with {@code active};
 *   <li>{@code POST /api/v1/silences} with {@code {"matchers": {"namespace": "shop"}, "until":
 *       "2026-12-24T18:00:00Z", "comment": "...", "createdBy": "..."}}: adds one, answers 201 with its
 *       {@code id}; a bad body answers 400 naming the field;
 *   <li>{@code DELETE /api/v1/silences/<id>}: expires it now (404 when unknown).
 * </ul>
 * Added silences are written to the compacted silences topic (acknowledged before the answer),
 * which every engine instance reads into its global store: they survive restarts and apply on
 * every partition.
 */
public final class SilencesApi implements AutoCloseable {

  static final String PATH = "/api/v1/silences";
  private static final Logger LOG = LoggerFactory.getLogger(SilencesApi.class);
  private static final JsonSerde<Silence> SILENCES = new JsonSerde<>(Silence.class);

  private final HttpServer server;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Supplier<List<Silence>> silences;
  private final Clock clock;

  private SilencesApi(HttpServer server, Producer<byte[], byte[]> producer, String topic,
      Supplier<List<Silence>> silences, Clock clock) {
    this.server = server;
    this.producer = producer;
    this.topic = topic;
    this.silences = silences;
    this.clock = clock;
  }

  /**
   * Serves the API on {@code address:port}.
   *
   * @param silences every silence known now (configured and from the topic)
   */
  public static SilencesApi start(String address, int port, Producer<byte[], byte[]> producer, String topic,
      Supplier<List<Silence>> silences, Clock clock) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    SilencesApi api = new SilencesApi(server, producer, topic, silences, clock);
    server.createContext(PATH, api::handle);
    server.start();
    LOG.info("silences API on http://{}:{}{}", address, api.port(), PATH);
    return api;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals(PATH) && method.equals("GET")) {
        respond(exchange, 200, list());
      } else if (path.equals(PATH) && method.equals("POST")) {
        create(exchange);
      } else if (path.startsWith(PATH + "/") && method.equals("DELETE")) {
        expire(exchange, path.substring(PATH.length() + 1));
      } else {
        respond(exchange, 404, error("no such endpoint: " + method + " " + path));
      }
    } catch (RuntimeException e) {
      LOG.error("silences API failed", e);
    }
  }

  private JsonNode list() {
    ArrayNode array = JsonSerde.MAPPER.createArrayNode();
    long now = clock.millis();
    for (Silence silence : silences.get()) {
      ObjectNode node = JsonSerde.MAPPER.valueToTree(silence);
      node.put("until", Instant.ofEpochMilli(silence.untilMillis()).toString());
      node.put("active", now < silence.untilMillis());
      array.add(node);
    }
    return array;
  }

  private void create(HttpExchange exchange) throws IOException {
    JsonNode body;
    try (InputStream in = exchange.getRequestBody()) {
      body = JsonSerde.MAPPER.readTree(in.readNBytes(64 * 1024));
    } catch (IOException e) {
      respond(exchange, 400, error("expected a JSON object: " + e.getMessage()));
      return;
    }
    if (body == null || !body.isObject()) {
      respond(exchange, 400, error("expected a JSON object with matchers, until, comment"));
      return;
    }
    JsonNode matchersNode = body.path("matchers");
    if (!matchersNode.isObject() || matchersNode.isEmpty()) {
      respond(exchange, 400, error("matchers: expected an object of label -> value with at least one entry"));
      return;
    }
    Map<String, String> matchers = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = matchersNode.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isTextual()) {
        respond(exchange, 400, error("matchers." + field.getKey() + ": expected a string"));
        return;
      }
      matchers.put(field.getKey(), field.getValue().asText());
    }
    Instant until;
    try {
      until = Instant.parse(body.path("until").asText(""));
    } catch (DateTimeParseException e) {
      respond(exchange, 400, error("until: expected an RFC 3339 time like 2026-12-24T18:00:00Z, got '"
          + body.path("until").asText("") + "'"));
      return;
    }
    Silence silence = new Silence(UUID.randomUUID().toString(), matchers, until.toEpochMilli(),
        body.path("comment").asText(""), body.path("createdBy").asText(""));
    if (write(exchange, silence)) {
      ObjectNode answer = JsonSerde.MAPPER.createObjectNode().put("id", silence.id());
      respond(exchange, 201, answer);
    }
  }

  private void expire(HttpExchange exchange, String id) throws IOException {
    Optional<Silence> known = silences.get().stream().filter(silence -> silence.id().equals(id)).findFirst();
    if (known.isEmpty()) {
      respond(exchange, 404, error("no silence with id " + id));
      return;
    }
    Silence silence = known.get();
    Silence expired = new Silence(silence.id(), silence.matchers(), Math.min(silence.untilMillis(), clock.millis()),
        silence.comment(), silence.createdBy());
    if (write(exchange, expired)) {
      respond(exchange, 200, JsonSerde.MAPPER.createObjectNode().put("id", id).put("active", false));
    }
  }

  private boolean write(HttpExchange exchange, Silence silence) throws IOException {
    try {
      byte[] key = silence.id().getBytes(StandardCharsets.UTF_8);
      producer.send(new ProducerRecord<>(topic, key, SILENCES.encode(silence))).get(10, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      respond(exchange, 503, error("could not store the silence in Kafka: " + e.getMessage()));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      respond(exchange, 503, error("interrupted"));
      return false;
    }
  }

  private static ObjectNode error(String message) {
    return JsonSerde.MAPPER.createObjectNode().put("error", message);
  }

  private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JsonSerde.MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
