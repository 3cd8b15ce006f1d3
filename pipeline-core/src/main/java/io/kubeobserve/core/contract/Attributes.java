package io.kubeobserve.core.contract;

/**
 * Attribute names of the Kafka contract. Resource attributes follow the OpenTelemetry semantic
 * conventions for Kubernetes; the {@code kube_observe.*} ones are this project's own.
 */
public final class Attributes {

  private Attributes() {}

  // Resource attributes
  public static final String K8S_CLUSTER_NAME = "k8s.cluster.name";
  public static final String K8S_NODE_NAME = "k8s.node.name";
  public static final String K8S_NAMESPACE_NAME = "k8s.namespace.name";
  public static final String K8S_POD_NAME = "k8s.pod.name";
  public static final String K8S_POD_UID = "k8s.pod.uid";
  public static final String K8S_CONTAINER_NAME = "k8s.container.name";
  public static final String K8S_CONTAINER_RESTART_COUNT = "k8s.container.restart_count";
  public static final String CONTAINER_ID = "container.id";
  /** Prefix of pod labels: {@code k8s.pod.label.<key>}. */
  public static final String K8S_POD_LABEL_PREFIX = "k8s.pod.label.";
  /** Prefix of pod annotations: {@code k8s.pod.annotation.<key>} (OpenTelemetry semantic conventions). */
  public static final String K8S_POD_ANNOTATION_PREFIX = "k8s.pod.annotation.";
  public static final String K8S_DEPLOYMENT_NAME = "k8s.deployment.name";
  public static final String K8S_REPLICASET_NAME = "k8s.replicaset.name";
  public static final String K8S_STATEFULSET_NAME = "k8s.statefulset.name";
  public static final String K8S_DAEMONSET_NAME = "k8s.daemonset.name";
  public static final String K8S_JOB_NAME = "k8s.job.name";
  public static final String K8S_CRONJOB_NAME = "k8s.cronjob.name";
  public static final String K8S_VOLUME_NAME = "k8s.volume.name";

  // Metrics relayed from a Prometheus endpoint (the kubelet's /metrics/cadvisor, /metrics/resource, ...)
  /**
   * Resource attribute of metrics scraped from a Prometheus text endpoint: the {@code job} label a
   * direct scrape would give them ({@code kubelet}). Its presence tells consumers that metric names
   * and data point attributes are Prometheus names and labels, to be relayed verbatim.
   */
  public static final String KUBE_OBSERVE_SCRAPE_JOB = "kube_observe.scrape.job";
  /**
   * Resource attribute of metrics scraped from a Prometheus text endpoint: the path scraped, which a
   * direct scrape exposes as the {@code metrics_path} label ({@code /metrics/cadvisor}).
   */
  public static final String KUBE_OBSERVE_SCRAPE_PATH = "kube_observe.scrape.path";
  /**
   * Metric metadata key (OTLP {@code Metric.metadata}) holding the Prometheus type when OTLP has no
   * exact equivalent; {@code unknown} marks an {@code untyped} family. The OpenTelemetry Collector's
   * Prometheus receiver uses the same key.
   */
  public static final String PROMETHEUS_TYPE = "prometheus.type";

  // Log record attributes
  /** The deterministic id of every record; consumers deduplicate by it. */
  public static final String LOG_RECORD_UID = "log.record.uid";
  public static final String LOG_IOSTREAM = "log.iostream";
  public static final String LOG_FILE_PATH = "log.file.path";
  /** A piece of an entry the container runtime split ({@code P} lines); the next record continues it. */
  public static final String KUBE_OBSERVE_LOG_PARTIAL = "kube_observe.log.partial";
  /** A line that is not in the file's container log format, passed on as it was. */
  public static final String KUBE_OBSERVE_LOG_UNPARSED = "kube_observe.log.unparsed";
  /** Tells the records of {@code k8s-events} apart; values in {@link EventNames}. */
  public static final String EVENT_NAME = "event.name";

  // Kubernetes Events
  public static final String K8S_EVENT_REASON = "k8s.event.reason";
  public static final String K8S_EVENT_TYPE = "k8s.event.type";
  public static final String K8S_EVENT_COUNT = "k8s.event.count";
  public static final String K8S_OBJECT_KIND = "k8s.object.kind";
  public static final String K8S_OBJECT_NAME = "k8s.object.name";
  public static final String K8S_OBJECT_UID = "k8s.object.uid";

  // Derived pod signals
  public static final String K8S_CONTAINER_TERMINATION_REASON = "k8s.container.termination.reason";
  public static final String K8S_CONTAINER_TERMINATION_EXIT_CODE = "k8s.container.termination.exit_code";
  public static final String K8S_CONTAINER_TERMINATION_SIGNAL = "k8s.container.termination.signal";
  public static final String K8S_CONTAINER_TERMINATION_STARTED_AT = "k8s.container.termination.started_at";
  public static final String K8S_CONTAINER_TERMINATION_FINISHED_AT = "k8s.container.termination.finished_at";
  public static final String K8S_CONTAINER_WAITING_REASON = "k8s.container.waiting.reason";
  /** The waiting state's message (the back-off, the image pull error). */
  public static final String K8S_CONTAINER_WAITING_MESSAGE = "k8s.container.waiting.message";
  /** The terminated state's message, when the container wrote one (its termination log). */
  public static final String K8S_CONTAINER_TERMINATION_MESSAGE = "k8s.container.termination.message";
  /** The terminated container's last log lines (a string array, oldest first, CRI framing removed). */
  public static final String K8S_CONTAINER_TERMINATION_LAST_LOG_LINES = "k8s.container.termination.last_log_lines";
  /** The terminated container's memory limit from its pod's spec, in bytes (absent without a limit). */
  public static final String K8S_CONTAINER_MEMORY_LIMIT = "k8s.container.memory.limit";
  /** The terminated container's memory request from its pod's spec, in bytes (absent without a request). */
  public static final String K8S_CONTAINER_MEMORY_REQUEST = "k8s.container.memory.request";
  /** The last working set the kubelet reported for the terminated container before it ended, in bytes. */
  public static final String K8S_CONTAINER_TERMINATION_WORKING_SET = "k8s.container.termination.working_set";
  /** When that last working set was measured (RFC 3339). */
  public static final String K8S_CONTAINER_TERMINATION_WORKING_SET_TIME = "k8s.container.termination.working_set_time";
  /** The highest working set reported for the terminated container in the agent's window, in bytes. */
  public static final String K8S_CONTAINER_TERMINATION_WORKING_SET_PEAK = "k8s.container.termination.working_set_peak";
  /** The kubelet's eviction message ({@code status.message} of an evicted pod). */
  public static final String K8S_POD_EVICTION_MESSAGE = "k8s.pod.eviction.message";
  /** The resource the eviction message names ({@code memory}, {@code ephemeral-storage}, {@code pids}, ...). */
  public static final String K8S_POD_EVICTION_RESOURCE = "k8s.pod.eviction.resource";

  // The agent's heartbeat (kube_observe.agent.heartbeat)
  /** Log lines the agent produced since it started. */
  public static final String KUBE_OBSERVE_AGENT_LOG_LINES = "kube_observe.agent.log.lines";
  /** Bytes of log files the agent produced since it started. */
  public static final String KUBE_OBSERVE_AGENT_LOG_BYTES = "kube_observe.agent.log.bytes";
  /** Container log files the agent reads now. */
  public static final String KUBE_OBSERVE_AGENT_LOG_FILES = "kube_observe.agent.log.files";
  /** Pod signals the agent emitted since it started. */
  public static final String KUBE_OBSERVE_AGENT_SIGNALS = "kube_observe.agent.signals";
  /** Kubelet scrapes the agent attempted since it started. */
  public static final String KUBE_OBSERVE_AGENT_SCRAPES = "kube_observe.agent.scrapes";
  /** When the agent started (RFC 3339). */
  public static final String KUBE_OBSERVE_AGENT_STARTED_AT = "kube_observe.agent.started_at";

  // Node conditions
  public static final String K8S_NODE_CONDITION_TYPE = "k8s.node.condition.type";
  public static final String K8S_NODE_CONDITION_STATUS = "k8s.node.condition.status";
  public static final String K8S_NODE_CONDITION_PREVIOUS_STATUS = "k8s.node.condition.previous_status";
  public static final String K8S_NODE_CONDITION_REASON = "k8s.node.condition.reason";
  public static final String K8S_NODE_CONDITION_MESSAGE = "k8s.node.condition.message";
}
