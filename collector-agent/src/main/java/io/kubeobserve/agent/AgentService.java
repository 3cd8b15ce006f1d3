package io.kubeobserve.agent;

import io.kubeobserve.agent.logs.LogTailer;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.kafka.ContractTopics;
import io.kubeobserve.core.kafka.TopicSpec;
import io.kubeobserve.core.runtime.Service;
import io.kubeobserve.core.runtime.ServiceContext;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: ships the node's container logs to Kafka. Kubelet scraping and the node's pod
 * signals are not built yet.
 */
public final class AgentService implements Service {

  private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);

  private final AgentConfig config;
  private final ContractTopics topics;
  private final KafkaProducer<byte[], byte[]> producer;
  private final LogTailer tailer;

  public AgentService(AgentConfig config, ServiceContext context) {
    this.config = config;
    this.topics = new ContractTopics(config.kafka());
    Resource node = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, config.cluster().name()))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, nodeName(config)))
        .build();
    this.producer = context.kafkaClients().producer("logs");
    this.tailer = new LogTailer(config.logs().root(), config.logs().pollInterval(), config.logs().maxBatchBytes(),
        node, producer, config.kafka().topics().logs(), context.meterRegistry(), context.openTelemetry(),
        Clock.systemUTC());
  }

  /** {@code node.name}, else {@code NODE_NAME} from the environment (the DaemonSet's downward API), else the host name. */
  static String nodeName(AgentConfig config) {
    return config.node().name()
        .or(() -> java.util.Optional.ofNullable(System.getenv("NODE_NAME")).filter(s -> !s.isBlank()))
        .orElseGet(() -> {
          try {
            return InetAddress.getLocalHost().getHostName();
          } catch (UnknownHostException e) {
            return "unknown-node";
          }
        });
  }

  @Override
  public List<TopicSpec> topicsWritten() {
    return List.of(topics.logs(), topics.metrics(), topics.events(), topics.deadletter());
  }

  @Override
  public void start() {
    if (config.kubernetes().enabled()) {
      LOG.info("kubernetes.enabled is true, but pod metadata from the API is not built yet: using log paths");
    }
    tailer.start();
    LOG.info("shipping container logs under {} to {}", config.logs().root(), config.kafka().topics().logs());
  }

  @Override
  public void close() {
    tailer.close();
    producer.close(Duration.ofSeconds(10));
  }
}
