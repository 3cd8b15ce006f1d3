package io.kubeobserve.agent.signals;

import io.kubeobserve.core.contract.OtlpCodec;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.cache.Lister;
import io.kubernetes.client.openapi.models.V1Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits the node's pod signals to the events topic, each occurrence once.
 *
 * <p>The informer's handlers only put the pod's key ({@code namespace/name}) on a queue; one
 * reconciler thread waits until the informer has synced, forgets the emitted keys of pods that are
 * gone, then takes keys, reads the pod from the informer's cache, reads its signals
 * ({@link PodSignalReader}) and emits those not yet emitted ({@link EmittedOccurrences}), marking an
 * occurrence emitted only once Kafka acknowledged it. Reconciling a pod twice emits nothing new, so a
 * relist, a resync or a restart repeats nothing. A send that fails puts the key back after a delay.
 * Records are keyed by pod UID (the involved object). Lifecycle: {@link #start()} before the
 * informers start, then {@link #close()} (safe twice).
 */
public final class PodSignalController implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PodSignalController.class);
  private static final Duration RETRY = Duration.ofSeconds(5);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final SharedIndexInformer<V1Pod> informer;
  private final Lister<V1Pod> lister;
  private final PodSignalReader reader;
  private final EmittedOccurrences emitted;
  private final LastLogLines lastLines;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String clusterName;
  private final String nodeName;
  private final List<String> annotations;
  private final MeterRegistry registry;
  private final Clock clock;
  private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Map<String, String> uidOfKey = new ConcurrentHashMap<>();
  private final ScheduledExecutorService retries;
  private final Thread reconciler;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong emittedCount = new AtomicLong();
  private final Counter failures;
  private volatile boolean synced;

  public PodSignalController(SharedIndexInformer<V1Pod> informer, PodSignalReader reader, EmittedOccurrences emitted,
      LastLogLines lastLines, Producer<byte[], byte[]> producer, String topic, String clusterName, String nodeName,
      List<String> annotations, MeterRegistry registry, Clock clock) {
    this.informer = Objects.requireNonNull(informer, "informer");
    this.lister = new Lister<>(informer.getIndexer());
    this.reader = Objects.requireNonNull(reader, "reader");
    this.emitted = Objects.requireNonNull(emitted, "emitted");
    this.lastLines = Objects.requireNonNull(lastLines, "lastLines");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.annotations = List.copyOf(annotations);
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "pod-signals-retry");
      thread.setDaemon(true);
      return thread;
    });
    this.reconciler = new Thread(this::run, "pod-signals");
    this.reconciler.setDaemon(true);
    this.failures = Counter.builder("kube_observe.agent.signals.send.failures")
        .description("pod signals Kafka did not acknowledge; they are sent again").register(registry);
    io.micrometer.core.instrument.Gauge.builder("kube_observe.agent.signals.queue", queue, java.util.Collection::size)
        .description("pods waiting to be reconciled").register(registry);
  }

  /** Registers the handlers and starts the reconciler (which waits for the informer's sync). */
  public void start() {
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Pod pod) {
        enqueue(pod);
      }

      @Override
      public void onUpdate(V1Pod oldPod, V1Pod newPod) {
        enqueue(newPod);
      }

      @Override
      public void onDelete(V1Pod pod, boolean deletedFinalStateUnknown) {
        enqueue(pod);
      }
    });
    reconciler.start();
  }

  private void enqueue(V1Pod pod) {
    if (pod.getMetadata() != null) {
      enqueue(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
    }
  }

  private void enqueue(String key) {
    if (queued.add(key)) {
      queue.add(key);
    }
  }

  /** Whether the informer synced and the reconciler started working. */
  public boolean synced() {
    return synced;
  }

  /** Signals emitted since start. */
  public long emittedCount() {
    return emittedCount.get();
  }

  private void run() {
    try {
      while (!informer.hasSynced()) {
        if (closed.get()) {
          return;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
      Set<String> present = new HashSet<>();
      for (V1Pod pod : lister.list()) {
        present.add(pod.getMetadata().getUid());
      }
      emitted.retainPods(present);
      synced = true;
      LOG.info("pod informer of node {} synced: {} pods; reporting their signals", nodeName, present.size());
      while (!closed.get()) {
        String key = queue.poll(1, TimeUnit.SECONDS);
        if (key == null) {
          continue;
        }
        queued.remove(key);
        try {
          reconcile(key);
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
          failures.increment();
          LOG.warn("reporting the signals of pod {} failed ({}); trying again in {}", key, e.toString(), RETRY);
          retries.schedule(() -> enqueue(key), RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.error("the pod signal reconciler stopped", e);
    }
  }

  /** Emits what {@code key}'s pod shows and was not emitted yet; idempotent. */
  void reconcile(String key) throws IOException, ExecutionException, TimeoutException, InterruptedException {
    V1Pod pod = lister.get(key);
    if (pod == null) {
      String uid = uidOfKey.remove(key);
      if (uid != null) {
        emitted.forgetPod(uid);
      }
      return;
    }
    String uid = pod.getMetadata().getUid();
    String previous = uidOfKey.put(key, uid);
    if (previous != null && !previous.equals(uid)) {
      emitted.forgetPod(previous); // a new pod of the same name (StatefulSet)
    }
    for (PodSignal signal : reader.read(pod)) {
      if (emitted.containsAny(signal.keys())) {
        continue;
      }
      List<String> lines = signal.logInstance().map(instance -> lastLines.of(pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), uid, signal.container(), instance)).orElse(List.of());
      ExportLogsServiceRequest request = SignalRecords.of(pod, signal, lines, annotations, clusterName, nodeName,
          clock.instant());
      producer.send(new ProducerRecord<>(topic, uid.getBytes(StandardCharsets.UTF_8), OtlpCodec.encodeLogs(request)))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      emitted.add(uid, signal.keys());
      emittedCount.incrementAndGet();
      Counter.builder("kube_observe.agent.signals.emitted").tag("signal", signal.eventName())
          .description("pod signals emitted to the events topic").register(registry).increment();
      LOG.info("{}", signal.body());
    }
  }

  /** Stops the reconciler (the informer belongs to its factory). Safe to call twice. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      reconciler.interrupt();
      retries.shutdownNow();
      try {
        reconciler.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "PodSignalController[node " + nodeName + ", " + emitted + "]";
  }
}
