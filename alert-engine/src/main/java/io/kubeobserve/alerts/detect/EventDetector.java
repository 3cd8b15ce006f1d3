package io.kubeobserve.alerts.detect;

import io.kubeobserve.alerts.detect.Observation.Kind;
import io.kubeobserve.alerts.notify.Notification.Labels;
import io.kubeobserve.alerts.notify.Notification.Severity;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.EventNames;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the records of {@code k8s-events} into observations: the agent's pod signals (OOMKilled,
 * CrashLoopBackOff, evictions), the router's Events (Evicted; SystemOOM and OOMKilling on a node)
 * and node condition transitions, and the agent's heartbeat.
 *
 * <p>The same eviction reported by the agent ({@code k8s.pod.evicted}) and by the router (the
 * {@code Evicted} Event) gets the same occurrence id (the pod UID), so it makes one incident member.
 * A pod Event the router could not place on a node (the Event does not say) is not usable for a
 * node-grouped incident: it is returned in {@link Detection#unplaced()} for the caller to count.
 */
public final class EventDetector {

  /** "The node was low on resource: memory. ..." → memory. */
  private static final Pattern LOW_ON_RESOURCE = Pattern.compile("low on resource: ([A-Za-z0-9_.-]+?)\\.?(?:\\s|$)");
  private static final Map<String, String> CONDITION_RULES = Map.of(
      "MemoryPressure", Rules.NODE_MEMORY_PRESSURE,
      "DiskPressure", Rules.NODE_DISK_PRESSURE,
      "PIDPressure", Rules.NODE_PID_PRESSURE,
      "NetworkUnavailable", Rules.NODE_NETWORK_UNAVAILABLE,
      "Ready", Rules.NODE_NOT_READY);

  private EventDetector() {}

  /**
   * The observations in one record.
   *
   * @param observations what the record says, in its order
   * @param unplaced how many records could not be placed on a node and were not used
   */
  public record Detection(List<Observation> observations, int unplaced) {}

  public static Detection detect(ExportLogsServiceRequest request) {
    List<Observation> observations = new ArrayList<>();
    int unplaced = 0;
    for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
      List<KeyValue> resource = resourceLogs.getResource().getAttributesList();
      for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
        for (LogRecord record : scopeLogs.getLogRecordsList()) {
          Optional<Observation> observation = detect(resource, record);
          if (observation.isPresent() && observation.get().node().isEmpty()) {
            unplaced++;
          } else {
            observation.ifPresent(observations::add);
          }
        }
      }
    }
    return new Detection(observations, unplaced);
  }

  private static Optional<Observation> detect(List<KeyValue> resource, LogRecord record) {
    List<KeyValue> attributes = record.getAttributesList();
    String eventName = text(attributes, Attributes.EVENT_NAME);
    Context context = new Context(resource, record);
    return switch (eventName) {
      case EventNames.CONTAINER_TERMINATED -> oomKilled(context);
      case EventNames.CONTAINER_WAITING -> crashLoop(context);
      case EventNames.POD_EVICTED ->
          Optional.of(evicted(context, text(attributes, Attributes.K8S_POD_EVICTION_MESSAGE)));
      case EventNames.K8S_EVENT -> kubernetesEvent(context);
      case EventNames.NODE_CONDITION -> nodeCondition(context);
      case EventNames.AGENT_HEARTBEAT -> Optional.of(context.observation(Kind.HEARTBEAT, Rules.AGENT_HEARTBEAT_MISSING,
          context.node, "", "", Severity.WARNING, Map.of()));
      default -> Optional.empty();
    };
  }

  private static Optional<Observation> oomKilled(Context context) {
    if (!"OOMKilled".equals(context.attribute(Attributes.K8S_CONTAINER_TERMINATION_REASON))) {
      return Optional.empty();
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("Reason", "OOMKilled");
    details.put("Exit code", context.attribute(Attributes.K8S_CONTAINER_TERMINATION_EXIT_CODE));
    putIfPresent(details, "Signal", context.attribute(Attributes.K8S_CONTAINER_TERMINATION_SIGNAL));
    details.put("Restart count", context.resource(Attributes.K8S_CONTAINER_RESTART_COUNT));
    putIfPresent(details, "Started", context.attribute(Attributes.K8S_CONTAINER_TERMINATION_STARTED_AT));
    putIfPresent(details, "Finished", context.attribute(Attributes.K8S_CONTAINER_TERMINATION_FINISHED_AT));
    putIfPresent(details, "Message", context.attribute(Attributes.K8S_CONTAINER_TERMINATION_MESSAGE));
    memory(context, details);
    String container = context.containerPath();
    return Optional.of(context.observation(Kind.OCCURRENCE, Rules.OOM_KILLED, container,
        "oom/" + context.podUid() + "/" + context.resource(Attributes.K8S_CONTAINER_NAME) + "/"
            + context.resource(Attributes.K8S_CONTAINER_RESTART_COUNT),
        container + " restart " + context.resource(Attributes.K8S_CONTAINER_RESTART_COUNT),
        Severity.CRITICAL, details));
  }

  /**
   * Limit vs usage: the memory limit and request of the container's spec, and the last and highest
   * working set the agent's kubelet scrapes saw for the instance before it was killed.
   */
  private static void memory(Context context, Map<String, String> details) {
    long limit = bytes(context.attribute(Attributes.K8S_CONTAINER_MEMORY_LIMIT));
    if (limit > 0) {
      details.put("Memory limit", ByteSizes.binary(limit));
    }
    long request = bytes(context.attribute(Attributes.K8S_CONTAINER_MEMORY_REQUEST));
    if (request > 0) {
      details.put("Memory request", ByteSizes.binary(request));
    }
    long workingSet = bytes(context.attribute(Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET));
    if (workingSet > 0) {
      String time = context.attribute(Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET_TIME);
      details.put("Last working set", ofLimit(workingSet, limit) + (time.isEmpty() ? "" : " at " + time));
    }
    long peak = bytes(context.attribute(Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET_PEAK));
    if (peak > 0) {
      details.put("Peak working set", ofLimit(peak, limit));
    }
  }

  private static String ofLimit(long bytes, long limit) {
    return ByteSizes.binary(bytes) + (limit > 0 ? " (" + Math.round(bytes * 100.0 / limit) + " % of the limit)" : "");
  }

  private static long bytes(String value) {
    try {
      return value.isEmpty() ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Observation> crashLoop(Context context) {
    if (!"CrashLoopBackOff".equals(context.attribute(Attributes.K8S_CONTAINER_WAITING_REASON))) {
      return Optional.empty();
    }
    Map<String, String> details = new LinkedHashMap<>();
    details.put("Reason", "CrashLoopBackOff");
    details.put("Restart count", context.resource(Attributes.K8S_CONTAINER_RESTART_COUNT));
    putIfPresent(details, "Message", context.attribute(Attributes.K8S_CONTAINER_WAITING_MESSAGE));
    String container = context.containerPath();
    return Optional.of(context.observation(Kind.OCCURRENCE, Rules.CRASH_LOOP_BACK_OFF, container,
        "backoff/" + context.podUid() + "/" + context.resource(Attributes.K8S_CONTAINER_NAME) + "/"
            + context.resource(Attributes.K8S_CONTAINER_RESTART_COUNT),
        container + " restart " + context.resource(Attributes.K8S_CONTAINER_RESTART_COUNT),
        Severity.WARNING, details));
  }

  /** One incident per node for its evictions; the pod is a member, the pod UID the occurrence. */
  private static Observation evicted(Context context, String message) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("Reason", "Evicted");
    String resource = evictedResource(message).orElse("");
    putIfPresent(details, "Resource", resource);
    putIfPresent(details, "Message", message.strip());
    String pod = context.resource(Attributes.K8S_NAMESPACE_NAME) + "/" + context.resource(Attributes.K8S_POD_NAME);
    return context.observation(Kind.OCCURRENCE, Rules.POD_EVICTED, context.node, "evicted/" + context.podUid(),
        resource.isEmpty() ? pod : pod + " (" + resource + ")", Severity.WARNING, details);
  }

  /** The resource a kubelet eviction message names ({@code memory}, {@code ephemeral-storage}, {@code pids}). */
  public static Optional<String> evictedResource(String message) {
    Matcher matcher = LOW_ON_RESOURCE.matcher(message);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private static Optional<Observation> kubernetesEvent(Context context) {
    String reason = context.attribute(Attributes.K8S_EVENT_REASON);
    String kind = context.attribute(Attributes.K8S_OBJECT_KIND);
    if ("Evicted".equals(reason) && "Pod".equals(kind)) {
      return Optional.of(evicted(context, context.body()));
    }
    if (("SystemOOM".equals(reason) || "OOMKilling".equals(reason)) && "Node".equals(kind)) {
      String node = context.attribute(Attributes.K8S_OBJECT_NAME);
      Map<String, String> details = new LinkedHashMap<>();
      details.put("Reason", reason);
      putIfPresent(details, "Message", context.body());
      return Optional.of(context.observation(Kind.OCCURRENCE, Rules.KERNEL_OOM, node,
          context.attribute(Attributes.LOG_RECORD_UID), context.body(), Severity.WARNING, details));
    }
    return Optional.empty();
  }

  private static Optional<Observation> nodeCondition(Context context) {
    String type = context.attribute(Attributes.K8S_NODE_CONDITION_TYPE);
    String rule = CONDITION_RULES.get(type);
    if (rule == null) {
      return Optional.empty();
    }
    String status = context.attribute(Attributes.K8S_NODE_CONDITION_STATUS);
    boolean abnormal = "Ready".equals(type) ? !"True".equals(status) : "True".equals(status);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("Condition", type + " " + status);
    putIfPresent(details, "Reason", context.attribute(Attributes.K8S_NODE_CONDITION_REASON));
    putIfPresent(details, "Message", context.attribute(Attributes.K8S_NODE_CONDITION_MESSAGE));
    Severity severity = Rules.NODE_NOT_READY.equals(rule) ? Severity.CRITICAL : Severity.WARNING;
    return Optional.of(context.observation(abnormal ? Kind.CONDITION_RAISED : Kind.CONDITION_CLEARED, rule,
        context.node, context.attribute(Attributes.LOG_RECORD_UID), "", severity, details));
  }

  private static void putIfPresent(Map<String, String> details, String name, String value) {
    if (!value.isEmpty()) {
      details.put(name, value);
    }
  }

  private static String text(List<KeyValue> attributes, String key) {
    return OtlpValues.attribute(attributes, key).map(EventDetector::text).orElse("");
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      default -> "";
    };
  }

  /** One record with its resource: reads attributes and builds the observation's common parts. */
  private static final class Context {
    private final List<KeyValue> resource;
    private final LogRecord record;
    private final String node;

    Context(List<KeyValue> resource, LogRecord record) {
      this.resource = resource;
      this.record = record;
      this.node = resource(Attributes.K8S_NODE_NAME);
    }

    String resource(String key) {
      return text(resource, key);
    }

    String attribute(String key) {
      return text(record.getAttributesList(), key);
    }

    String body() {
      return text(record.getBody());
    }

    String podUid() {
      String uid = resource(Attributes.K8S_POD_UID);
      return uid.isEmpty() ? attribute(Attributes.K8S_OBJECT_UID) : uid;
    }

    String containerPath() {
      return resource(Attributes.K8S_NAMESPACE_NAME) + "/" + resource(Attributes.K8S_POD_NAME) + "/"
          + resource(Attributes.K8S_CONTAINER_NAME);
    }

    Observation observation(Kind kind, String rule, String object, String occurrence, String member,
        Severity severity, Map<String, String> details) {
      String observedNode = Rules.KERNEL_OOM.equals(rule) ? object : node;
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(Labels.CLUSTER, resource(Attributes.K8S_CLUSTER_NAME));
      labels.put(Labels.NODE, observedNode);
      boolean podIncident = Rules.OOM_KILLED.equals(rule) || Rules.CRASH_LOOP_BACK_OFF.equals(rule);
      if (podIncident) {
        labels.put(Labels.NAMESPACE, resource(Attributes.K8S_NAMESPACE_NAME));
        workload().ifPresent(workload -> labels.put(Labels.WORKLOAD, workload));
        labels.put(Labels.POD, resource(Attributes.K8S_POD_NAME));
        labels.put(Labels.CONTAINER, resource(Attributes.K8S_CONTAINER_NAME));
      }
      labels.values().removeIf(String::isEmpty);
      Map<String, String> podLabels = podIncident ? prefixed(Attributes.K8S_POD_LABEL_PREFIX) : Map.of();
      Map<String, String> podAnnotations =
          podIncident ? prefixed(Attributes.K8S_POD_ANNOTATION_PREFIX) : Map.of();
      List<String> lines = new ArrayList<>();
      OtlpValues.attribute(record.getAttributesList(), Attributes.K8S_CONTAINER_TERMINATION_LAST_LOG_LINES)
          .filter(AnyValue::hasArrayValue)
          .ifPresent(value -> value.getArrayValue().getValuesList().forEach(line -> lines.add(text(line))));
      long timeNanos = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano() : record.getObservedTimeUnixNano();
      return new Observation(kind, rule, observedNode, object, occurrence, member, timeNanos / 1_000_000, severity,
          labels, podLabels, podAnnotations, details, lines, 0, 0);
    }

    /** The resource attributes whose key starts with the prefix, by the rest of their key. */
    private Map<String, String> prefixed(String prefix) {
      Map<String, String> values = new LinkedHashMap<>();
      for (KeyValue attribute : resource) {
        if (attribute.getKey().startsWith(prefix)) {
          values.put(attribute.getKey().substring(prefix.length()), text(attribute.getValue()));
        }
      }
      return values;
    }

    private Optional<String> workload() {
      for (String key : List.of(Attributes.K8S_DEPLOYMENT_NAME, Attributes.K8S_STATEFULSET_NAME,
          Attributes.K8S_DAEMONSET_NAME, Attributes.K8S_JOB_NAME, Attributes.K8S_REPLICASET_NAME)) {
        String name = resource(key);
        if (!name.isEmpty()) {
          return Optional.of(name);
        }
      }
      return Optional.empty();
    }
  }
}
