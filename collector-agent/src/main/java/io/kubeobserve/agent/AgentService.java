package io.kubeobserve.agent;

import io.kubeobserve.agent.kubelet.ApiServerProxyTransport;
import io.kubeobserve.agent.kubelet.DirectKubeletTransport;
import io.kubeobserve.agent.kubelet.KubeletScraper;
import io.kubeobserve.agent.kubelet.KubeletTls;
import io.kubeobserve.agent.kubelet.KubeletTransport;
import io.kubeobserve.agent.kubelet.TokenFile;
import io.kubeobserve.agent.kubernetes.KubernetesApi;
import io.kubeobserve.agent.logs.LogTailer;
import io.kubeobserve.agent.logs.PodMetadataCache;
import io.kubeobserve.agent.signals.ContainerMemory;
import io.kubeobserve.agent.signals.EmittedOccurrences;
import io.kubeobserve.agent.signals.LastLogLines;
import io.kubeobserve.agent.signals.PodSignalController;
import io.kubeobserve.agent.signals.PodSignalReader;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.core.ops.ReadinessCheck;
import io.kubeobserve.core.runtime.Service;
import io.kubeobserve.core.runtime.ServiceContext;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.openapi.models.V1Pod;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: ships the node's container logs to {@code k8s-logs}, scrapes its kubelet into
 * {@code k8s-metrics}, reports its pods' signals and a heartbeat to {@code k8s-events}.
 */
public final class AgentService implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);
  /** How often the pod informer relists as a safety net. */
  private static final Duration RESYNC = Duration.ofMinutes(10);

  private final AgentConfig config;
  private final ServiceContext context;
  private final ContractTopics topics;
  private final String nodeName;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaProducer<byte[], byte[]> metricsProducer;
  private final KafkaProducer<byte[], byte[]> eventsProducer;
  private final Resource nodeResource;
  private final Clock clock = Clock.systemUTC();
  private LogTailer tailer;
  private KubernetesApi kubernetes;
  private KubeletScraper scraper;
  private PodSignalController signals;
  private Heartbeat heartbeat;

  public AgentService(AgentConfig config, ServiceContext context) {
    this.config = config;
    this.context = context;
    this.topics = new ContractTopics(config.kafka());
    this.nodeName = nodeName(config);
    this.nodeResource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, config.cluster().name()))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, nodeName))
        .build();
    this.producer = logsProducer(config, context);
    this.metricsProducer = context.kafkaClients().producer("metrics");
    this.eventsProducer = context.kafkaClients().producer("events");
  }

  /**
   * The logs' producer: idempotent, {@code acks=all}, compressed with {@code logs.compression}, records up to
   * {@code logs.batch.maxBytes} (a record is one container's batch, so the producer lingers only briefly); a send
   * waits at most 10 s for metadata while the brokers are unreachable (the batch then fails and is read again).
   * {@code kafka.properties.*} still override.
   */
  private static KafkaProducer<byte[], byte[]> logsProducer(AgentConfig config, ServiceContext context) {
    return context.kafkaClients().producer("logs", Map.of(
        ProducerConfig.COMPRESSION_TYPE_CONFIG, config.logs().compression().name().toLowerCase(Locale.ROOT),
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1 << 20,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
        ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(32L << 20, 2 * config.logs().maxBufferedBytes())));
  }

  /** {@code node.name}, else {@code NODE_NAME} from the environment (the DaemonSet's downward API), else the host name. */
  public static String nodeName(AgentConfig config) {
    return config.node().name()
        .or(() -> Optional.ofNullable(System.getenv("NODE_NAME")).filter(s -> !s.isBlank()))
        .orElseGet(() -> {
          try {
            return InetAddress.getLocalHost().getHostName();
          } catch (UnknownHostException e) {
            return "unknown-node";
          }
        });
  }

  /** {@code kubelet.url}, else {@code https://$NODE_IP:10250}, else {@code https://<node name>:10250}. */
  static URI kubeletUrl(AgentConfig config, String nodeName) {
    return config.kubelet().url().orElseGet(() -> URI.create("https://"
        + Optional.ofNullable(System.getenv("NODE_IP")).filter(s -> !s.isBlank()).orElse(nodeName) + ":10250"));
  }

  @Override
  public List<TopicSpec> topicsWritten() {
    return List.of(topics.logs(), topics.metrics(), topics.events(), topics.deadletter());
  }

  @Override
  public List<ReadinessCheck> readinessChecks() {
    if (!config.kubernetes().enabled() || !config.signals().enabled()) {
      return List.of();
    }
    return List.of(new ReadinessCheck() {
      @Override
      public String name() {
        return "pod-informer";
      }

      @Override
      public Status status() {
        return signals != null && signals.synced() ? Status.ready("pods of node " + nodeName + " synced")
            : Status.notReady("the pods of node " + nodeName + " are not listed yet");
      }
    });
  }

  @Override
  public void start() throws Exception {
    boolean proxy = config.kubelet().transport() == AgentConfig.Transport.APISERVERPROXY;
    if (proxy && !config.kubernetes().enabled()) {
      throw new IllegalArgumentException("kubelet.transport=apiServerProxy needs kubernetes.enabled=true");
    }
    boolean wantSignals = config.kubernetes().enabled() && config.signals().enabled();
    Optional<PodMetadataCache> podMetadata = Optional.empty();
    SharedIndexInformer<V1Pod> informer = null;
    if (config.kubernetes().enabled()) {
      kubernetes = KubernetesApi.connect(config.kubernetes());
      informer = kubernetes.nodePodInformer(nodeName, RESYNC);
      podMetadata = Optional.of(new PodMetadataCache(informer, config.logs().deletedPodRetention(), clock));
    }
    ContainerMemory memory = new ContainerMemory(config.signals().memoryWindow());
    if (wantSignals) {
      signals = new PodSignalController(informer,
          new PodSignalReader(new HashSet<>(config.signals().waitingReasons()), config.signals().includeCompleted(),
              memory, clock),
          EmittedOccurrences.load(config.checkpoints().dir()),
          new LastLogLines(config.logs().root(), config.signals().lastLogLines(), config.signals().maxLogLineChars()),
          eventsProducer, config.kafka().topics().events(), config.cluster().name(), nodeName,
          config.logs().annotations(), context.meterRegistry(), clock);
      signals.start();
      LOG.info("reporting the signals of the pods on node {} to {}", nodeName, config.kafka().topics().events());
    } else if (!config.kubernetes().enabled()) {
      LOG.info("kubernetes.enabled is false: no pod signals; pod metadata of logs comes from their paths");
    }
    if (kubernetes != null) {
      kubernetes.startInformers();
    }
    if (!config.kubelet().endpoints().isEmpty()) {
      scraper = new KubeletScraper(transport(proxy), new KubeletScraper.Settings(config.kubelet().endpoints(),
          config.kubelet().interval(), config.kubelet().jitter(), config.kubelet().timeout(),
          config.kubelet().format() == AgentConfig.Format.PROTOBUF, Pattern.compile(config.kubelet().metricsKeep()),
          config.kubelet().maxRecordBytes()), config.cluster().name(), nodeName, metricsProducer,
          config.kafka().topics().metrics(), context.meterRegistry(), clock);
      if (wantSignals) {
        scraper.addListener(memory::record);
      }
      scraper.start();
    }
    if (config.logs().enabled()) {
      tailer = new LogTailer(config.logs(), config.checkpoints().dir(), nodeResource, producer,
          config.kafka().topics().logs(), podMetadata, context.meterRegistry(), context.openTelemetry(), clock);
      tailer.start();
      LOG.info("shipping container logs under {} to {}", config.logs().root(), config.kafka().topics().logs());
    } else {
      LOG.info("logs.enabled is false: container logs are not shipped");
    }
    if (config.heartbeat().enabled()) {
      heartbeat = new Heartbeat(eventsProducer, config.kafka().topics().events(), config.cluster().name(), nodeName,
          config.heartbeat().interval(), new Heartbeat.Totals(() -> tailer == null ? 0 : tailer.linesShipped(),
              () -> tailer == null ? 0 : tailer.bytesShipped(), () -> tailer == null ? 0 : tailer.filesOpen(),
              () -> signals == null ? 0 : signals.emittedCount(),
              () -> scraper == null ? 0 : scraper.scrapesAttempted()), context.meterRegistry(), clock);
      heartbeat.start();
    }
  }

  /** Whether the pod informer synced and signals are being reported (false without them). */
  public boolean podSignalsSynced() {
    return signals != null && signals.synced();
  }

  private KubeletTransport transport(boolean proxy) {
    if (proxy) {
      return new ApiServerProxyTransport(kubernetes, nodeName, config.kubelet().maxResponseBytes());
    }
    URI url = kubeletUrl(config, nodeName);
    SSLContext tls;
    if (config.kubelet().insecureSkipVerify()) {
      LOG.warn("kubelet.insecureSkipVerify is true: the kubelet's certificate at {} is NOT verified; anyone on the "
          + "path can read the token and forge metrics", url);
      tls = KubeletTls.trustingAnything();
    } else {
      tls = KubeletTls.verifying(config.kubelet().caFile());
    }
    Optional<TokenFile> token = TokenFile.of(config.kubelet().tokenFile());
    if (token.isEmpty()) {
      LOG.warn("no kubelet token (kubelet.tokenFile, or the service-account token): the kubelet will likely answer 401");
    }
    return new DirectKubeletTransport(url, token, tls, config.kubelet().caFile(), config.kubelet().maxResponseBytes());
  }

  @Override
  public void close() {
    List<AutoCloseable> parts = new ArrayList<>();
    parts.add(heartbeat);
    parts.add(scraper);
    parts.add(signals);
    parts.add(kubernetes);
    parts.add(tailer);
    for (AutoCloseable part : parts) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception e) {
          LOG.warn("closing {} failed", part, e);
        }
      }
    }
    producer.close(Duration.ofSeconds(10));
    metricsProducer.close(Duration.ofSeconds(5));
    eventsProducer.close(Duration.ofSeconds(10));
  }
}
