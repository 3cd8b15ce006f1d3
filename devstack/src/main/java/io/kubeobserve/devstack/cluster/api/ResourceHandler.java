package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The verbs on resource URLs: list, watch, get, create (POST), update (PUT), patch, delete and
 * deletecollection, on objects and their {@code status} subresource. events.k8s.io/v1 requests
 * are converted to and from the stored core/v1 Events.
 */
final class ResourceHandler {

  private final ClusterStore store;
  private final WatchResponder watches;
  private final TableConverter tables;

  ResourceHandler(ClusterStore store, WatchResponder watches, TableConverter tables) {
    this.store = store;
    this.watches = watches;
    this.tables = tables;
  }

  void handle(HttpExchange exchange, ApiPath path) throws IOException {
    String method = exchange.getRequestMethod();
    Map<String, String> query = Exchanges.query(exchange);
    ResourceType type = path.type();
    boolean collection = path.name().isEmpty();
    boolean status = path.subresource().equals("status");
    switch (method) {
      case "GET" -> {
        if (collection && (Exchanges.flag(query, "watch"))) {
          watches.serve(exchange, path, query);
        } else if (collection) {
          list(exchange, path, query);
        } else {
          ObjectNode object = EventConversion.convertOut(type,
              store.get(type, path.namespace(), path.name()));
          if (wantsTable(exchange)) {
            Exchanges.json(exchange, 200, tables.table(type, List.of(object), 0, "", null,
                query.getOrDefault("includeObject", "Metadata")));
          } else {
            Exchanges.json(exchange, 200, object);
          }
        }
      }
      case "POST" -> {
        if (!collection) {
          throw StatusException.methodNotAllowed(method);
        }
        ObjectNode body = EventConversion.convertIn(type, Json.parseObject(Exchanges.body(exchange)));
        ObjectNode created = store.create(type, path.namespace(), body, false);
        Exchanges.json(exchange, 201, EventConversion.convertOut(type, created));
      }
      case "PUT" -> {
        if (collection) {
          throw StatusException.methodNotAllowed(method);
        }
        ObjectNode body = EventConversion.convertIn(type, Json.parseObject(Exchanges.body(exchange)));
        ObjectNode updated = store.update(type, path.namespace(), path.name(), body, status);
        Exchanges.json(exchange, 200, EventConversion.convertOut(type, updated));
      }
      case "PATCH" -> {
        if (collection) {
          throw StatusException.methodNotAllowed(method);
        }
        Patches.Type patchType = Patches.Type.of(exchange.getRequestHeaders().getFirst("Content-Type"));
        byte[] patch = Exchanges.body(exchange);
        ObjectNode patched;
        if (type.isView()) {
          ObjectNode current = EventConversion.toEventsV1(store.get(type, path.namespace(), path.name()));
          ObjectNode result = EventConversion.toCore(Patches.apply(patchType, current, patch));
          patched = store.update(type, path.namespace(), path.name(), result, false);
        } else {
          patched = store.patch(type, path.namespace(), path.name(), patchType, patch, status);
        }
        Exchanges.json(exchange, 200, EventConversion.convertOut(type, patched));
      }
      case "DELETE" -> {
        if (status) {
          throw StatusException.methodNotAllowed(method);
        }
        Long grace = gracePeriod(exchange, query);
        if (collection) {
          deleteCollection(exchange, path, query, grace);
        } else {
          ObjectNode deleted = store.delete(type, path.namespace(), path.name(), grace);
          Exchanges.json(exchange, 200, EventConversion.convertOut(type, deleted));
        }
      }
      default -> throw StatusException.methodNotAllowed(method);
    }
  }

  private void list(HttpExchange exchange, ApiPath path, Map<String, String> query)
      throws IOException {
    ResourceType type = path.type();
    ListResult result = store.list(type, ListQuery.parse(type, path.namespace(), query));
    List<ObjectNode> items = result.items().stream()
        .map(item -> EventConversion.convertOut(type, item)).toList();
    if (wantsTable(exchange)) {
      Exchanges.json(exchange, 200, tables.table(type, items, result.resourceVersion(),
          result.continueToken(), result.remainingItemCount(),
          query.getOrDefault("includeObject", "Metadata")));
      return;
    }
    Exchanges.json(exchange, 200, listObject(type, items, result));
  }

  static ObjectNode listObject(ResourceType type, List<ObjectNode> items, ListResult result) {
    ObjectNode list = Json.MAPPER.createObjectNode();
    list.put("kind", type.kind() + "List");
    list.put("apiVersion", type.apiVersion());
    ObjectNode metadata = list.putObject("metadata");
    metadata.put("resourceVersion", Long.toString(result.resourceVersion()));
    if (!result.continueToken().isEmpty()) {
      metadata.put("continue", result.continueToken());
    }
    if (result.remainingItemCount() != null) {
      metadata.put("remainingItemCount", result.remainingItemCount());
    }
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return list;
  }

  private void deleteCollection(HttpExchange exchange, ApiPath path, Map<String, String> query,
      Long grace) throws IOException {
    ResourceType type = path.type();
    ListResult result = store.list(type, ListQuery.parse(type, path.namespace(), query));
    for (ObjectNode item : result.items()) {
      try {
        store.delete(type, Json.meta(item, "namespace"), Json.meta(item, "name"), grace);
      } catch (StatusException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
    ObjectNode status = Json.MAPPER.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Success");
    Exchanges.json(exchange, 200, status);
  }

  private static Long gracePeriod(HttpExchange exchange, Map<String, String> query)
      throws IOException {
    String text = query.get("gracePeriodSeconds");
    byte[] body = Exchanges.body(exchange);
    if (text == null && body.length > 0) {
      JsonNode options = Json.parse(body);
      if (options.has("gracePeriodSeconds") && !options.get("gracePeriodSeconds").isNull()) {
        text = options.get("gracePeriodSeconds").asText();
      }
    }
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Math.max(0, Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("gracePeriodSeconds: Invalid value: \"" + text + "\"");
    }
  }

  private static boolean wantsTable(HttpExchange exchange) {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    return accept != null && accept.contains("as=Table");
  }
}
