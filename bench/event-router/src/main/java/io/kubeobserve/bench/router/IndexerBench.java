package io.kubeobserve.bench.router;

import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.config.ConfigSources;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.kubeobserve.core.kafka.KafkaClients;
import io.kubeobserve.devstack.elasticsearch.LocalElasticsearch;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.router.RouterConfig;
import io.kubeobserve.router.index.ElasticsearchConnection;
import io.kubeobserve.router.index.Indexer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.http.HttpHost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Indexer documents per router CPU-second into the local Elasticsearch, per bulk size, and the
 * Elasticsearch node's own ceiling in the same run.
 *
 * <p>Log lines are produced to Kafka before each measured run, so a run measures the indexer
 * alone: consume, decode OTLP, build bulk bodies, send, parse answers, commit. Router CPU is the
 * CPU time (ThreadMXBean) of the indexer's threads: its consumer loops, the HTTP client's I/O
 * threads, the Kafka client's heartbeat thread. The broker runs in this JVM too and is not
 * counted; Elasticsearch is a child process, its CPU read from {@code /proc/<pid>/stat}. The
 * ceiling: the same documents as pre-built bulk bodies, sent by two threads as fast as the node
 * takes them. Garbage collection of the whole JVM (broker included) is added to the router's CPU, so
 * the figure errs on the router's side.
 *
 * <p>Usage: {@code java -jar kube-observe-bench-router.jar [documentsPerRun] [bulkSizes,...] [results file]}
 */
public final class IndexerBench {

  private static final int LINES_PER_RECORD = 100;
  private static final List<String> ROUTER_THREADS =
      List.of("indexer-", "elasticsearch-rest-client", "I/O dispatcher", "kafka-coordinator-heartbeat-thread",
          "kafka-producer-network-thread | bench", "elasticsearch-health");

  private IndexerBench() {}

  public static void main(String[] args) throws Exception {
    int documents = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    List<Integer> bulkSizes = new ArrayList<>();
    for (String size : (args.length > 1 ? args[1] : "1000,2500,5000,10000").split(",")) {
      bulkSizes.add(Integer.parseInt(size));
    }
    Path results = Path.of(args.length > 2 ? args[2] : "bench/event-router/results/latest.md");
    StringBuilder report = new StringBuilder();
    report.append(machine());
    try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary();
        LocalElasticsearch elasticsearch = LocalElasticsearch.start()) {
      long esPid = elasticsearchPid();
      report.append(String.format(Locale.ROOT, "%nElasticsearch %s, heap 512m, pid %d; %,d documents per run, %d lines"
          + " per Kafka record (%d bytes of message each)%n%n", elasticsearch.version(), esPid, documents,
          LINES_PER_RECORD, message(0).length()));
      report.append("| run | bulk docs | docs/s (wall) | router CPU-s (its threads + all GC) | docs per router CPU-s | ES CPU-s | docs per ES CPU-s |\n");
      report.append("|---|---|---|---|---|---|---|\n");
      // warm-up: JIT and Elasticsearch caches; not reported
      run(kafka, elasticsearch, esPid, "warmup", Math.min(documents, 100_000), 5000, 1);
      for (int bulk : bulkSizes) {
        Result result = run(kafka, elasticsearch, esPid, "b" + bulk, documents, bulk, 1);
        report.append(result.row("indexer, 1 consumer", bulk));
        System.err.println(result.row("indexer, 1 consumer", bulk));
      }
      for (int bulk : bulkSizes) {
        Result result = run(kafka, elasticsearch, esPid, "b" + bulk + "x2", documents, bulk, 2);
        report.append(result.row("indexer, 2 consumers", bulk));
        System.err.println(result.row("indexer, 2 consumers", bulk));
      }
      Result ceiling = ceiling(elasticsearch, esPid, documents, 5000);
      report.append(ceiling.row("ES ceiling (pre-built bulks, 2 senders)", 5000));
      System.err.println(ceiling.row("ceiling", 5000));
    }
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, report.toString());
    System.out.println(report);
  }

  private record Result(long documents, double wallSeconds, double routerCpuSeconds, double esCpuSeconds) {
    String row(String run, int bulk) {
      return String.format(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %s | %.2f | %,.0f |%n", run, bulk,
          documents / wallSeconds, routerCpuSeconds,
          routerCpuSeconds > 0 ? String.format(Locale.ROOT, "%,.0f", documents / routerCpuSeconds) : "-",
          esCpuSeconds, documents / esCpuSeconds);
    }
  }

  private static Result run(EmbeddedKafka kafka, LocalElasticsearch elasticsearch, long esPid, String name,
      int documents, int bulk, int consumers) throws Exception {
    String topic = "bench-" + name;
    produce(kafka.bootstrapServers(), topic, documents);
    RouterConfig config = ConfigLoader.load(RouterConfig.class, new ConfigSources(Optional.empty(), List.of(
        "kafka.bootstrapServers=" + kafka.bootstrapServers(),
        "kafka.topics.logs=" + topic,
        "kafka.topics.events=" + topic + "-events",
        "kafka.topics.deadletter=" + topic + "-deadletter",
        "kafka.provisioning.replicationFactor=1", "kafka.provisioning.minInsyncReplicas=1",
        "kubernetes.enabled=false",
        "elasticsearch.urls=" + elasticsearch.httpUrl(),
        "elasticsearch.dataStreams.namespace=" + name,
        "elasticsearch.templates.replicas=0",
        "indexer.events=false",
        "indexer.groupId=" + topic,
        "indexer.consumers=" + consumers,
        "indexer.bulk.maxDocuments=" + bulk,
        "indexer.bulk.maxBytes=" + 64 * 1024 * 1024), Map.of()), RouterConfig.DEFAULTS);
    createTopics(kafka.bootstrapServers(), topic + "-deadletter");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Map<Long, Long> cpuBefore = threadCpu(ROUTER_THREADS);
    long esBefore = processCpuNanos(esPid);
    long gcBefore = gcMillis();
    long start = System.nanoTime();
    try (KafkaClients clients = new KafkaClients(config.kafka(), "bench", registry);
        ElasticsearchConnection connection = ElasticsearchConnection.open(config.elasticsearch());
        KafkaProducer<byte[], byte[]> deadLetters = clients.producer("deadletter")) {
      Indexer indexer = new Indexer(config, clients, registry, connection, deadLetters);
      indexer.start();
      long deadline = System.nanoTime() + 600_000_000_000L;
      while (indexer.metrics().indexedCount() + indexer.metrics().alreadyIndexedCount() < documents) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("run " + name + " did not finish in 10 minutes");
        }
        Thread.sleep(20);
      }
      double wall = (System.nanoTime() - start) / 1e9;
      double routerCpu = cpuSince(cpuBefore, ROUTER_THREADS) / 1e9 + (gcMillis() - gcBefore) / 1e3;
      double esCpu = (processCpuNanos(esPid) - esBefore) / 1e9;
      if (indexer.metrics().rejectedCount() > 0) {
        throw new IllegalStateException(indexer.metrics().rejectedCount() + " documents rejected");
      }
      indexer.close();
      return new Result(documents, wall, routerCpu, esCpu);
    }
  }

  /** Elasticsearch alone: the same documents as bulk bodies built beforehand, two senders. */
  private static Result ceiling(LocalElasticsearch elasticsearch, long esPid, int documents, int bulk)
      throws Exception {
    String stream = "logs-kubernetes.container_logs-ceiling";
    List<byte[]> bodies = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    Resource resource = resource(0);
    String resourceJson = "{\"k8s.cluster.name\":\"bench\",\"k8s.node.name\":\"node-0\",\"k8s.namespace.name\":\"load\","
        + "\"k8s.pod.name\":\"api-0\",\"k8s.pod.uid\":\"" + uid(0) + "\",\"k8s.container.name\":\"api\","
        + "\"k8s.container.restart_count\":0,\"k8s.deployment.name\":\"api\"}";
    for (int i = 0; i < documents; i++) {
      body.append("{\"create\":{\"_index\":\"").append(stream).append("\",\"_id\":\"")
          .append(RecordUid.logLine("ceiling", i)).append("\"}}\n")
          .append("{\"@timestamp\":\"2024-11-20T09:25:00.").append(String.format("%09d", i)).append("Z\",")
          .append("\"data_stream\":{\"type\":\"logs\",\"dataset\":\"kubernetes.container_logs\",\"namespace\":\"ceiling\"},")
          .append("\"message\":\"").append(message(i)).append("\",\"resource\":{\"attributes\":").append(resourceJson)
          .append("},\"attributes\":{\"log.iostream\":\"stdout\",\"log.record.uid\":\"")
          .append(RecordUid.logLine("ceiling", i)).append("\"}}\n");
      if ((i + 1) % bulk == 0 || i == documents - 1) {
        bodies.add(body.toString().getBytes(StandardCharsets.UTF_8));
        body.setLength(0);
      }
    }
    if (resource == null) {
      throw new IllegalStateException();
    }
    try (RestClient client = RestClient.builder(HttpHost.create(elasticsearch.httpUrl())).build()) {
      // the templates are in place from the indexer runs (same dataset)
      long esBefore = processCpuNanos(esPid);
      long start = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      ExecutorService senders = Executors.newFixedThreadPool(2);
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        done.add(senders.submit(() -> {
          for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
            Request request = new Request("POST", "/_bulk");
            request.addParameter("filter_path", "errors");
            request.setEntity(new ByteArrayEntity(bodies.get(i), ContentType.create("application/x-ndjson")));
            client.performRequest(request);
          }
          return null;
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
      senders.shutdown();
      double wall = (System.nanoTime() - start) / 1e9;
      return new Result(documents, wall, 0, (processCpuNanos(esPid) - esBefore) / 1e9);
    }
  }

  private static void produce(String bootstrap, String topic, int documents) throws Exception {
    createTopics(bootstrap, topic);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd"),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (int r = 0; r < documents / LINES_PER_RECORD; r++) {
        int pod = r % 20;
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        scope.getScopeBuilder().setName("io.kubeobserve.agent.logs");
        for (int l = 0; l < LINES_PER_RECORD; l++) {
          long line = (long) r * LINES_PER_RECORD + l;
          scope.addLogRecords(LogRecord.newBuilder()
              .setTimeUnixNano(1_732_094_700_000_000_000L + line * 1000)
              .setObservedTimeUnixNano(1_732_094_700_000_000_000L + line * 1000 + 5_000_000)
              .setBody(OtlpValues.text(message(line)))
              .addAttributes(OtlpValues.string(Attributes.LOG_FILE_PATH, "/var/log/pods/load_api-" + pod + "_"
                  + uid(pod) + "/api/0.log"))
              .addAttributes(OtlpValues.string(Attributes.LOG_RECORD_UID, RecordUid.logLine(topic + ":" + pod, line)))
              .addAttributes(OtlpValues.string(Attributes.LOG_IOSTREAM, "stdout")));
        }
        byte[] value = OtlpCodec.encodeLogs(ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(pod)).addScopeLogs(scope)).build());
        sends.add(producer.send(new ProducerRecord<>(topic, uid(pod).getBytes(StandardCharsets.UTF_8), value)));
      }
      for (Future<RecordMetadata> send : sends) {
        send.get();
      }
    }
  }

  private static String message(long line) {
    return String.format(Locale.ROOT, "10.0.%d.%d - - GET /api/v1/orders/%08d HTTP/1.1 200 512 in 3 ms",
        line % 256, line % 200, line);
  }

  private static Resource resource(int pod) {
    return Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, "bench"))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, "node-" + pod % 2))
        .addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, "load"))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, "api-" + pod))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_UID, uid(pod)))
        .addAttributes(OtlpValues.string(Attributes.K8S_CONTAINER_NAME, "api"))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_RESTART_COUNT, 0))
        .addAttributes(OtlpValues.string(Attributes.K8S_DEPLOYMENT_NAME, "api"))
        .build();
  }

  private static String uid(int pod) {
    return String.format("00000000-0000-4000-8000-%012d", pod);
  }

  private static void createTopics(String bootstrap, String... names) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        if (!admin.listTopics().names().get().contains(name)) {
          topics.add(new NewTopic(name, 3, (short) 1));
        }
      }
      admin.createTopics(topics).all().get();
    }
  }

  private static Map<Long, Long> threadCpu(List<String> prefixes) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && prefixes.stream().anyMatch(info.getThreadName()::startsWith)) {
        cpu.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return cpu;
  }

  /** CPU of the router's threads since {@code before}; threads started since count from zero. */
  private static long cpuSince(Map<Long, Long> before, List<String> prefixes) {
    long total = 0;
    for (Map.Entry<Long, Long> now : threadCpu(prefixes).entrySet()) {
      total += Math.max(0, now.getValue() - before.getOrDefault(now.getKey(), 0L));
    }
    return total;
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
  }

  private static long elasticsearchPid() {
    return ProcessHandle.current().descendants()
        .filter(process -> process.info().commandLine().orElse("").contains("org.elasticsearch.bootstrap.Elasticsearch")
            || process.info().commandLine().orElse("").contains("org.elasticsearch.server"))
        .mapToLong(ProcessHandle::pid).max().orElse(-1);
  }

  /** utime + stime of a process (and its finished children) from /proc, in nanoseconds. */
  private static long processCpuNanos(long pid) throws IOException {
    if (pid < 0) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 10_000_000L; // USER_HZ is 100 on Linux
  }

  private static String machine() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
        .findFirst().map(line -> line.substring(line.indexOf(':') + 2)).orElse("unknown");
    String memory = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
    return String.format(Locale.ROOT, "Machine: %d CPUs (%s), %s, %s %s, Java %s%n",
        Runtime.getRuntime().availableProcessors(), cpu, memory, System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("java.version"));
  }
}
