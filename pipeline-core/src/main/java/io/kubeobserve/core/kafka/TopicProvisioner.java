package io.kubeobserve.core.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service writes when they are missing, and reports existing topics whose
 * settings break a guarantee: a state topic that is not compacted, fewer replicas or a lower
 * {@code min.insync.replicas} than configured.
 */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
  private static final long TIMEOUT_SECONDS = 30;
  private static final int METADATA_ATTEMPTS = 25;
  private static final long METADATA_RETRY_MILLIS = 200;

  private final Admin admin;
  private final TopicProvisioning settings;

  public TopicProvisioner(Admin admin, TopicProvisioning settings) {
    this.admin = admin;
    this.settings = settings;
  }

  /** What provisioning found: topics created, and problems of existing topics, one line each. */
  public record Report(List<String> created, List<String> problems) {
    public Report {
      created = List.copyOf(created);
      problems = List.copyOf(problems);
    }
  }

  /** Creates missing topics (when enabled) and checks existing ones; problems are logged as warnings. */
  public Report provision(Collection<TopicSpec> topics) throws InterruptedException {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      int brokers = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).size();
      List<String> created = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      if (brokers < settings.replicationFactor()) {
        problems.add("the Kafka cluster has " + brokers + " broker(s), fewer than kafka.provisioning.replicationFactor="
            + settings.replicationFactor() + ": topics get at most " + brokers
            + " replica(s), and an acknowledged record can be lost with a broker");
      }
      List<TopicSpec> present = new ArrayList<>();
      for (TopicSpec topic : topics) {
        if (existing.contains(topic.name())) {
          present.add(topic);
        } else if (!settings.enabled()) {
          problems.add("topic " + topic.name() + " does not exist and kafka.provisioning.enabled is false");
        } else if (create(topic, brokers)) {
          created.add(topic.name());
        } else {
          present.add(topic);
        }
      }
      problems.addAll(checkWhenVisible(present, brokers));
      created.forEach(name -> LOG.info("created topic {}", name));
      problems.forEach(problem -> LOG.warn("{}", problem));
      return new Report(created, problems);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaUnavailableException("cannot provision topics " + names(topics) + ": " + rootMessage(e), e);
    }
  }

  /**
   * Creates the topic. On a cluster with fewer brokers than {@code replicationFactor} (a
   * development cluster, reported by {@link #provision}) it gets one replica per broker rather
   * than failing.
   */
  private boolean create(TopicSpec topic, int brokers)
      throws InterruptedException, ExecutionException, TimeoutException {
    int replicas = Math.min(settings.replicationFactor(), Math.max(1, brokers));
    int minInsync = Math.min(settings.minInsyncReplicas(), replicas);
    Map<String, String> configs = new HashMap<>();
    configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsync));
    if (topic.compacted()) {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    } else {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
      topic.retention().ifPresent(r -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())));
    }
    NewTopic newTopic = new NewTopic(topic.name(), settings.partitions(), (short) replicas)
        .configs(configs);
    try {
      admin.createTopics(List.of(newTopic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        return false; // another replica created it meanwhile
      }
      throw e;
    }
  }

  /** A topic created a moment ago (by another replica) may not be described yet: wait for it briefly. */
  private List<String> checkWhenVisible(List<TopicSpec> topics, int brokers)
      throws InterruptedException, ExecutionException, TimeoutException {
    for (int attempt = 1; ; attempt++) {
      try {
        return check(topics, brokers);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == METADATA_ATTEMPTS) {
          throw e;
        }
        Thread.sleep(METADATA_RETRY_MILLIS);
      }
    }
  }

  private List<String> check(List<TopicSpec> topics, int brokers)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (topics.isEmpty()) {
      return List.of();
    }
    List<String> names = topics.stream().map(TopicSpec::name).toList();
    Map<String, TopicDescription> descriptions =
        admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    List<ConfigResource> resources =
        names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
    Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    List<String> problems = new ArrayList<>();
    for (TopicSpec topic : topics) {
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
      String cleanupPolicy = value(config, TopicConfig.CLEANUP_POLICY_CONFIG, "delete");
      if (topic.compacted() && !cleanupPolicy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        problems.add("topic " + topic.name() + " holds state but has cleanup.policy=" + cleanupPolicy
            + ": expected compact, or its state is lost when retention deletes it");
      }
      int minIsr = Integer.parseInt(value(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1"));
      int wantedReplicas = Math.min(settings.replicationFactor(), brokers);
      if (minIsr < Math.min(settings.minInsyncReplicas(), wantedReplicas)) {
        problems.add("topic " + topic.name() + " has min.insync.replicas=" + minIsr + ", below the configured "
            + settings.minInsyncReplicas() + ": an acknowledged record may be lost with one broker");
      }
      int replicas = descriptions.get(topic.name()).partitions().get(0).replicas().size();
      if (replicas < wantedReplicas) {
        problems.add("topic " + topic.name() + " has replication factor " + replicas + ", below the configured "
            + settings.replicationFactor());
      }
    }
    return problems;
  }

  private static String value(Config config, String key, String fallback) {
    return config == null || config.get(key) == null || config.get(key).value() == null
        ? fallback
        : config.get(key).value();
  }

  private static String names(Collection<TopicSpec> topics) {
    return topics.stream().map(TopicSpec::name).collect(Collectors.joining(", ", "[", "]"));
  }

  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
