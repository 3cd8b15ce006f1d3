package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Server-side printing: the {@code meta.k8s.io/v1 Table} the API server returns when a client
 * (kubectl) asks for {@code application/json;as=Table;g=meta.k8s.io;v=v1}. Pods, nodes and events
 * get the columns of k8s.io/kubernetes/pkg/printers/internalversion/printers.go (wide cells
 * included, with priority 1 columns); other resources get Name and Created At, as the default
 * table convertor gives.
 */
final class TableConverter {

  private record Column(String name, String type, String format, int priority, String description) {}

  private final Clock clock;

  TableConverter(Clock clock) {
    this.clock = clock;
  }

  /**
   * A Table of {@code objects}.
   *
   * @param includeObject {@code None}, {@code Metadata} (default) or {@code Object}
   */
  ObjectNode table(ResourceType type, List<ObjectNode> objects, long resourceVersion,
      String continueToken, Long remaining, String includeObject) {
    ObjectNode table = Json.MAPPER.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion > 0) {
      metadata.put("resourceVersion", Long.toString(resourceVersion));
    }
    if (!continueToken.isEmpty()) {
      metadata.put("continue", continueToken);
    }
    if (remaining != null) {
      metadata.put("remainingItemCount", remaining);
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column column : columns(type)) {
      ObjectNode definition = definitions.addObject();
      definition.put("name", column.name());
      definition.put("type", column.type());
      definition.put("format", column.format());
      definition.put("description", column.description());
      definition.put("priority", column.priority());
    }
    ArrayNode rows = table.putArray("rows");
    Instant now = clock.instant();
    for (ObjectNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Object cell : cells(type, object, now)) {
        if (cell instanceof Long number) {
          cells.add(number);
        } else {
          cells.add(String.valueOf(cell));
        }
      }
      if ("Object".equals(includeObject)) {
        row.set("object", object);
      } else if (!"None".equals(includeObject)) {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata").deepCopy());
      }
    }
    return table;
  }

  private static List<Column> columns(ResourceType type) {
    String nameDoc = "Name must be unique within a namespace.";
    if (type == ResourceType.PODS) {
      return List.of(
          new Column("Name", "string", "name", 0, nameDoc),
          new Column("Ready", "string", "", 0, "The aggregate readiness state of this pod for accepting traffic."),
          new Column("Status", "string", "", 0, "The aggregate status of the containers in this pod."),
          new Column("Restarts", "string", "", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
          new Column("Age", "string", "", 0, "CreationTimestamp"),
          new Column("IP", "string", "", 1, "IP address allocated to the pod."),
          new Column("Node", "string", "", 1, "Name of the node the pod is assigned to."),
          new Column("Nominated Node", "string", "", 1, "Nominated node name."),
          new Column("Readiness Gates", "string", "", 1, "Readiness gates."));
    }
    if (type == ResourceType.NODES) {
      return List.of(
          new Column("Name", "string", "name", 0, nameDoc),
          new Column("Status", "string", "", 0, "The status of the node"),
          new Column("Roles", "string", "", 0, "The roles of the node"),
          new Column("Age", "string", "", 0, "CreationTimestamp"),
          new Column("Version", "string", "", 0, "Kubelet Version reported by the node."),
          new Column("Internal-IP", "string", "", 1, "List of addresses reachable to the node."),
          new Column("External-IP", "string", "", 1, "List of addresses reachable to the node."),
          new Column("OS-Image", "string", "", 1, "OS Image reported by the node from /etc/os-release."),
          new Column("Kernel-Version", "string", "", 1, "Kernel Version reported by the node."),
          new Column("Container-Runtime", "string", "", 1, "Container Runtime Version reported by the node."));
    }
    if (type.storage() == ResourceType.EVENTS) {
      return List.of(
          new Column("Last Seen", "string", "", 0, "Time of the last occurrence"),
          new Column("Type", "string", "", 0, "Type of this event"),
          new Column("Reason", "string", "", 0, "Reason for the transition"),
          new Column("Object", "string", "", 0, "The object this event is about"),
          new Column("Subobject", "string", "", 1, "The part of the object this event is about"),
          new Column("Source", "string", "", 1, "The component reporting this event"),
          new Column("Message", "string", "", 0, "A human-readable description of the status"),
          new Column("First Seen", "string", "", 1, "Time of the first occurrence"),
          new Column("Count", "string", "", 1, "The number of times this event has occurred"),
          new Column("Name", "string", "name", 1, nameDoc));
    }
    return List.of(
        new Column("Name", "string", "name", 0, nameDoc),
        new Column("Created At", "date", "", 0, "CreationTimestamp"));
  }

  private List<Object> cells(ResourceType type, ObjectNode object, Instant now) {
    Instant created = Json.parseTime(object.path("metadata").get("creationTimestamp"));
    String name = Json.meta(object, "name");
    if (type == ResourceType.PODS) {
      return podCells(object, name, HumanDuration.since(created, now), now);
    }
    if (type == ResourceType.NODES) {
      return nodeCells(object, name, HumanDuration.since(created, now));
    }
    if (type.storage() == ResourceType.EVENTS) {
      ObjectNode core = type.isView() ? EventConversion.toCore(object) : object;
      return eventCells(core, now);
    }
    return List.of(name, object.path("metadata").path("creationTimestamp").asText(""));
  }

  private static List<Object> podCells(ObjectNode pod, String name, String age, Instant now) {
    JsonNode status = pod.path("status");
    int total = pod.path("spec").path("containers").size();
    int ready = 0;
    long restarts = 0;
    Instant lastRestart = null;
    String reason = status.path("reason").asText("");
    if (reason.isEmpty()) {
      reason = status.path("phase").asText("");
    }
    boolean hasRunning = false;
    List<JsonNode> statuses = new ArrayList<>();
    status.path("containerStatuses").forEach(statuses::add);
    for (int i = statuses.size() - 1; i >= 0; i--) {
      JsonNode container = statuses.get(i);
      restarts += container.path("restartCount").asLong(0);
      Instant finished = Json.parseTime(
          container.path("lastState").path("terminated").get("finishedAt"));
      if (finished != null && (lastRestart == null || finished.isAfter(lastRestart))) {
        lastRestart = finished;
      }
      JsonNode state = container.path("state");
      String waiting = state.path("waiting").path("reason").asText("");
      JsonNode terminated = state.get("terminated");
      if (!waiting.isEmpty()) {
        reason = waiting;
      } else if (terminated != null && !terminated.path("reason").asText("").isEmpty()) {
        reason = terminated.path("reason").asText();
      } else if (terminated != null) {
        long signal = terminated.path("signal").asLong(0);
        reason = signal != 0 ? "Signal:" + signal : "ExitCode:" + terminated.path("exitCode").asLong(0);
      } else if (container.path("ready").asBoolean(false) && state.has("running")) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason.equals("Completed") && hasRunning) {
      reason = hasReadyCondition(status) ? "Running" : "NotReady";
    }
    if (pod.path("metadata").has("deletionTimestamp")) {
      reason = "NodeLost".equals(status.path("reason").asText()) ? "Unknown" : "Terminating";
    }
    String restartText = lastRestart == null ? Long.toString(restarts)
        : restarts + " (" + HumanDuration.since(lastRestart, now) + " ago)";
    String ip = status.path("podIP").asText("");
    String node = pod.path("spec").path("nodeName").asText("");
    String nominated = status.path("nominatedNodeName").asText("");
    return List.of(name, ready + "/" + total, reason, restartText, age,
        ip.isEmpty() ? "<none>" : ip, node.isEmpty() ? "<none>" : node,
        nominated.isEmpty() ? "<none>" : nominated, "<none>");
  }

  private static boolean hasReadyCondition(JsonNode status) {
    for (JsonNode condition : status.path("conditions")) {
      if ("Ready".equals(condition.path("type").asText()) && "True".equals(condition.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  private static List<Object> nodeCells(ObjectNode node, String name, String age) {
    String ready = "Unknown";
    for (JsonNode condition : node.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        String status = condition.path("status").asText();
        ready = status.equals("True") ? "Ready" : status.equals("False") ? "NotReady" : "Unknown";
      }
    }
    String status = node.path("spec").path("unschedulable").asBoolean(false)
        ? ready + ",SchedulingDisabled" : ready;
    List<String> roles = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("metadata").path("labels").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      if (label.getKey().startsWith("node-role.kubernetes.io/")) {
        String role = label.getKey().substring("node-role.kubernetes.io/".length());
        if (!role.isEmpty()) {
          roles.add(role);
        }
      } else if (label.getKey().equals("kubernetes.io/role") && !label.getValue().asText().isEmpty()) {
        roles.add(label.getValue().asText());
      }
    }
    roles.sort(null);
    JsonNode info = node.path("status").path("nodeInfo");
    return List.of(name, status, roles.isEmpty() ? "<none>" : String.join(",", roles), age,
        info.path("kubeletVersion").asText(""), address(node, "InternalIP"),
        address(node, "ExternalIP"), orUnknown(info.path("osImage").asText("")),
        orUnknown(info.path("kernelVersion").asText("")),
        orUnknown(info.path("containerRuntimeVersion").asText("")));
  }

  private static String address(JsonNode node, String type) {
    List<String> found = new ArrayList<>();
    for (JsonNode address : node.path("status").path("addresses")) {
      if (type.equals(address.path("type").asText())) {
        found.add(address.path("address").asText());
      }
    }
    return found.isEmpty() ? "<none>" : String.join(",", found);
  }

  private static String orUnknown(String text) {
    return text.isEmpty() ? "<unknown>" : text;
  }

  private static List<Object> eventCells(ObjectNode event, Instant now) {
    Instant firstTime = Json.parseTime(event.get("firstTimestamp"));
    String first = firstTime != null ? HumanDuration.since(firstTime, now)
        : HumanDuration.since(Json.parseTime(event.get("eventTime")), now);
    Instant lastTime = Json.parseTime(event.get("lastTimestamp"));
    String last = lastTime != null ? HumanDuration.since(lastTime, now) : first;
    long count = event.path("count").asLong(0);
    JsonNode series = event.get("series");
    if (series != null && series.isObject()) {
      last = HumanDuration.since(Json.parseTime(series.get("lastObservedTime")), now);
      count = series.path("count").asLong(0);
    } else if (count == 0) {
      count = 1;
    }
    JsonNode involved = event.path("involvedObject");
    String kind = involved.path("kind").asText("").toLowerCase(Locale.ROOT);
    String target = involved.path("name").asText("").isEmpty() ? kind
        : kind + "/" + involved.path("name").asText();
    return List.of(last, event.path("type").asText(""), event.path("reason").asText(""), target,
        involved.path("fieldPath").asText(""), source(event), event.path("message").asText("").strip(),
        first, count, Json.meta(event, "name"));
  }

  private static String source(ObjectNode event) {
    JsonNode source = event.path("source");
    String component = source.path("component").asText("");
    if (component.isEmpty()) {
      component = event.path("reportingComponent").asText("");
    }
    String host = source.path("host").asText("");
    if (host.isEmpty()) {
      host = event.path("reportingInstance").asText("");
    }
    return host.isEmpty() ? component : component + ", " + host;
  }
}
