package io.kubeobserve.router.watch;

import io.kubeobserve.core.kafka.KafkaClients;
import io.kubeobserve.router.RouterConfig;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeCondition;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leadership term of the watcher. Start: a transactional producer whose {@code
 * initTransactions} fences the previous leader's (its open transaction is aborted, its later
 * sends fail), then the state topic read to its end, then the informers. Informer handlers only
 * enqueue keys; the reconciler thread reads the informer caches, compares with the emitted state,
 * and writes the new records together with the state changes in one transaction.
 */
final class WatchTerm implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WatchTerm.class);
  private static final int MAX_KEYS_PER_TRANSACTION = 500;
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(120);

  private final RouterConfig config;
  private final KubernetesApi api;
  private final KafkaClients kafkaClients;
  private final EventRecords records;
  private final String identity;
  private final WatchListener listener;
  private final Counter eventRecords;
  private final Counter conditionRecords;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  /** object key → uid, so that a deleted object's state can be tombstoned. */
  private final Map<String, String> uidByKey = new HashMap<>();
  private volatile boolean running = true;
  private KafkaProducer<byte[], byte[]> producer;
  private SharedInformerFactory informers;
  private Lister<?> eventLister;
  private Function<Object, ClusterEvent> eventMapper;
  private Lister<V1Node> nodeLister;
  private EmittedState state;
  private Thread reconciler;

  WatchTerm(RouterConfig config, KubernetesApi api, KafkaClients kafkaClients, EventRecords records, String identity,
      WatchListener listener, MeterRegistry registry) {
    this.config = config;
    this.api = api;
    this.kafkaClients = kafkaClients;
    this.records = records;
    this.identity = identity;
    this.listener = listener;
    this.eventRecords = Counter.builder("kube_observe.router.watch.records").tag("event_name", "k8s.event")
        .description("records the watcher wrote to the events topic").register(registry);
    this.conditionRecords = Counter.builder("kube_observe.router.watch.records").tag("event_name", "k8s.node.condition")
        .register(registry);
  }

  /** The transactional.id every candidate shares, so that a new leader fences the old one. */
  static String transactionalId(RouterConfig config) {
    return "kube-observe-watcher-" + config.watcher().leaseNamespace() + "-" + config.watcher().leaseName();
  }

  void start() {
    producer = new KafkaProducer<>(kafkaClients.settings("watcher", Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(config),
        ProducerConfig.LINGER_MS_CONFIG, 5)), new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafkaClients.settings("watcher-state", Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      state = EmittedState.load(consumer, config.watcher().stateTopic(), Duration.ofSeconds(60));
    }
    LOG.info("watcher {}: state loaded ({} entries)", identity, state.size());
    informers = new SharedInformerFactory(api.client());
    boolean v1 = switch (config.watcher().eventsApi()) {
      case EVENTS_V1 -> true;
      case CORE -> false;
      case AUTO -> api.servesEventsV1();
    };
    SharedIndexInformer<?> eventInformer;
    if (v1) {
      SharedIndexInformer<EventsV1Event> informer =
          informers.sharedIndexInformerFor(api.eventsV1(), EventsV1Event.class, 0);
      informer.addEventHandler(handler("event:", EventsV1Event::getMetadata));
      eventMapper = object -> ClusterEvent.of((EventsV1Event) object);
      eventLister = new Lister<>(informer.getIndexer());
      eventInformer = informer;
    } else {
      SharedIndexInformer<CoreV1Event> informer =
          informers.sharedIndexInformerFor(api.coreEvents(), CoreV1Event.class, 0);
      informer.addEventHandler(handler("event:", CoreV1Event::getMetadata));
      eventMapper = object -> ClusterEvent.of((CoreV1Event) object);
      eventLister = new Lister<>(informer.getIndexer());
      eventInformer = informer;
    }
    SharedIndexInformer<V1Node> nodeInformer = informers.sharedIndexInformerFor(api.nodes(), V1Node.class, 0);
    nodeInformer.addEventHandler(handler("node:", V1Node::getMetadata));
    nodeLister = new Lister<>(nodeInformer.getIndexer());
    informers.startAllRegisteredInformers();
    long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
    while (!(eventInformer.hasSynced() && nodeInformer.hasSynced())) {
      if (!running) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("informers did not sync within " + SYNC_TIMEOUT);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    LOG.info("watcher {}: watching {} events and nodes", identity, v1 ? "events.k8s.io/v1" : "core/v1");
    reconciler = new Thread(this::reconcileLoop, "watcher-reconciler");
    reconciler.start();
    listener.leading(identity);
  }

  private <T extends io.kubernetes.client.common.KubernetesObject> ResourceEventHandler<T> handler(String prefix,
      Function<T, V1ObjectMeta> meta) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        enqueue(prefix, meta.apply(object));
      }

      @Override
      public void onUpdate(T before, T after) {
        enqueue(prefix, meta.apply(after));
      }

      @Override
      public void onDelete(T object, boolean finalStateUnknown) {
        enqueue(prefix, meta.apply(object));
      }
    };
  }

  private void enqueue(String prefix, V1ObjectMeta meta) {
    String namespace = meta.getNamespace();
    String key = prefix + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + meta.getName();
    if (queued.add(key)) {
      queue.add(key);
    }
  }

  private void reconcileLoop() {
    boolean swept = false;
    long backoff = 200;
    List<String> keys = new ArrayList<>();
    while (running) {
      try {
        if (keys.isEmpty()) {
          String first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            if (!swept) {
              swept = sweep();
            }
            continue;
          }
          keys.add(first);
          while (keys.size() < MAX_KEYS_PER_TRANSACTION) {
            String next = queue.poll();
            if (next == null) {
              break;
            }
            keys.add(next);
          }
          keys.forEach(queued::remove);
        }
        reconcile(keys);
        keys.clear();
        backoff = 200;
      } catch (InterruptedException e) {
        return;
      } catch (ProducerFencedException | InvalidProducerEpochException e) {
        LOG.warn("watcher {}: another replica took over (fenced by Kafka); stopping this term", identity);
        running = false;
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn("watcher {}: writing {} keys failed ({}); retrying in {} ms", identity, keys.size(), e.toString(),
            backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          return;
        }
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  /** One transaction: the records and state changes of these keys. */
  private void reconcile(List<String> keys) {
    Map<String, String> changes = new LinkedHashMap<>();
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    List<String> uids = new ArrayList<>();
    int events = 0;
    int conditions = 0;
    for (String key : keys) {
      if (key.startsWith("event:")) {
        events += reconcileEvent(key, changes, out, uids);
      } else {
        conditions += reconcileNode(key, changes, out, uids);
      }
    }
    commit(changes, out, uids);
    eventRecords.increment(events);
    conditionRecords.increment(conditions);
  }

  private void commit(Map<String, String> changes, List<ProducerRecord<byte[], byte[]>> out, List<String> uids) {
    if (changes.isEmpty()) {
      return;
    }
    try {
      producer.beginTransaction();
      for (ProducerRecord<byte[], byte[]> record : out) {
        producer.send(record);
      }
      changes.forEach((key, value) -> producer.send(new ProducerRecord<>(config.watcher().stateTopic(),
          key.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8))));
      producer.commitTransaction();
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      throw e;
    } catch (KafkaException e) {
      try {
        producer.abortTransaction();
      } catch (KafkaException ignored) {
        // the next beginTransaction reports what is wrong
      }
      throw e;
    }
    changes.forEach((key, value) -> {
      if (value == null) {
        state.remove(key);
      } else {
        state.put(key, value);
      }
    });
    if (!uids.isEmpty()) {
      LOG.debug("watcher {}: emitted {} records", identity, uids.size());
      listener.committed(List.copyOf(uids));
    }
  }

  private int reconcileEvent(String key, Map<String, String> changes, List<ProducerRecord<byte[], byte[]>> out,
      List<String> uids) {
    String cacheKey = key.substring("event:".length());
    Object object = eventLister.get(cacheKey);
    if (object == null) {
      String uid = uidByKey.remove(key);
      if (uid != null) {
        changes.put(EmittedState.eventKey(uid), null);
      }
      return 0;
    }
    ClusterEvent event = eventMapper.apply(object);
    uidByKey.put(key, event.uid());
    String stateKey = EmittedState.eventKey(event.uid());
    long emitted = Optional.ofNullable(changes.get(stateKey)).or(() -> state.get(stateKey))
        .map(Long::parseLong).orElse(0L);
    if (event.count() <= emitted) {
      return 0;
    }
    out.add(new ProducerRecord<>(config.kafka().topics().events(),
        event.recordKey().getBytes(StandardCharsets.UTF_8), records.event(event)));
    uids.add(EventRecords.uid(event));
    changes.put(stateKey, Long.toString(event.count()));
    return 1;
  }

  private int reconcileNode(String key, Map<String, String> changes, List<ProducerRecord<byte[], byte[]>> out,
      List<String> uids) {
    String name = key.substring("node:".length());
    V1Node node = nodeLister.get(name);
    if (node == null) {
      String uid = uidByKey.remove(key);
      if (uid != null) {
        for (String type : config.watcher().nodeConditions()) {
          changes.put(EmittedState.conditionKey(uid, type), null);
        }
      }
      return 0;
    }
    String nodeUid = node.getMetadata().getUid();
    uidByKey.put(key, nodeUid);
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return 0;
    }
    int emitted = 0;
    for (V1NodeCondition condition : node.getStatus().getConditions()) {
      if (!config.watcher().nodeConditions().contains(condition.getType())) {
        continue;
      }
      Instant transitionTime = condition.getLastTransitionTime() == null ? Instant.EPOCH
          : condition.getLastTransitionTime().toInstant();
      String current = condition.getStatus() + " " + transitionTime;
      String stateKey = EmittedState.conditionKey(nodeUid, condition.getType());
      Optional<String> previous = Optional.ofNullable(changes.get(stateKey)).or(() -> state.get(stateKey));
      if (previous.isPresent() && previous.get().equals(current)) {
        continue;
      }
      changes.put(stateKey, current);
      String previousStatus = previous.map(value -> value.substring(0, value.indexOf(' '))).orElse("");
      if (previous.isEmpty() && !ConditionTransition.abnormal(condition.getType(), condition.getStatus())) {
        continue; // first sight of a healthy condition: remembered, not reported
      }
      if (previous.isPresent() && previousStatus.equals(condition.getStatus())) {
        continue; // a new transition time with the same status (kubelet restart): remembered only
      }
      ConditionTransition transition = new ConditionTransition(name, nodeUid, condition.getType(),
          condition.getStatus(), previousStatus, text(condition.getReason()), text(condition.getMessage()),
          transitionTime);
      out.add(new ProducerRecord<>(config.kafka().topics().events(), nodeUid.getBytes(StandardCharsets.UTF_8),
          records.nodeCondition(transition)));
      uids.add(EventRecords.uid(transition));
      emitted++;
    }
    return emitted;
  }

  /**
   * After the first sync: tombstones the state of events and nodes that no longer exist (deleted
   * while no replica was leading), so that the compacted topic does not grow forever.
   */
  private boolean sweep() {
    Set<String> liveEvents = new HashSet<>();
    for (Object object : eventLister.list()) {
      liveEvents.add(eventMapper.apply(object).uid());
    }
    Set<String> liveNodes = new HashSet<>();
    for (V1Node node : nodeLister.list()) {
      liveNodes.add(node.getMetadata().getUid());
    }
    Map<String, String> changes = new LinkedHashMap<>();
    for (String key : state.keys()) {
      if (key.startsWith("event/") && !liveEvents.contains(key.substring("event/".length()))) {
        changes.put(key, null);
      } else if (key.startsWith("node/")) {
        String uid = key.substring("node/".length(), key.lastIndexOf('/'));
        if (!liveNodes.contains(uid)) {
          changes.put(key, null);
        }
      }
    }
    if (!changes.isEmpty()) {
      commit(changes, List.of(), List.of());
      LOG.info("watcher {}: forgot {} state entries of deleted events and nodes", identity, changes.size());
    }
    return true;
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  boolean isRunning() {
    return running;
  }

  /** Stops the informers and the reconciler; an open transaction is aborted by the next leader. */
  @Override
  public void close() {
    running = false;
    if (reconciler != null) {
      reconciler.interrupt();
      try {
        reconciler.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (informers != null) {
      informers.stopAllRegisteredInformers();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    listener.stoppedLeading(identity);
  }
}
