package io.kubeobserve.bench.logs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeobserve.devstack.Ports;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.SimulatedApiServer;
import io.kubeobserve.devstack.cluster.logs.ContainerLogRef;
import io.kubeobserve.devstack.cluster.logs.ContainerLogs;
import io.kubeobserve.devstack.cluster.logs.RotationPolicy;
import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import io.kubeobserve.devstack.process.ChildProcess;
import io.kubeobserve.devstack.process.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The agent's log pipeline as a node runs it (tail → parse → OTLP → a real broker), measured from
 * outside its process, next to rsyslog ({@code imfile} → {@code omkafka}) reading the same files
 * into the same broker in the same run:
 *
 * <ol>
 *   <li><b>backlog</b>: {@code --lines} entries over 20 containers are written first (CRI lines,
 *       mean about 150 bytes of content, 2% of entries 1.5–2 KB and split into {@code P}/{@code F}
 *       pieces at 1 KiB); then both shippers start and drain them. Lines and MB per CPU-second of
 *       each process ({@code /proc/<pid>/stat}, from its start to its last delivered line);
 *   <li><b>steady</b>: {@code --steady-rate} generated entries/s (8,500: about 10,000 CRI lines/s, as stack
 *       traces and split entries take several lines) for {@code --steady-seconds} s, live: each
 *       process's CPU share, peak RSS ({@code /proc/<pid>/status}), and p50/p99 latency from the
 *       line's time stamp to the broker's append time of its record.
 * </ol>
 *
 * <p>The agent runs from the shaded jar with a cluster's configuration: pod metadata from a
 * simulated API server that serves the pods the files belong to, ops server, heartbeat, pod
 * signals. With {@code --jfr}, its JVM records a JFR profile, summarized at the end. The log files
 * are deleted at the end; the work directory keeps the configurations, the processes' output and
 * the recording.
 *
 * <p>Usage, from the repository root: {@code java -cp bench/collector-agent/target/kube-observe-bench-agent.jar
 * io.kubeobserve.bench.logs.LogShippingBench [--lines N] [--steady-rate N] [--steady-seconds N]
 * [--agent-jvm "OPTIONS"] [--agent-set "key=value ..."] [--jfr] [--no-peer] [--jar launcher/target/kube-observe.jar]};
 * {@code --agent-set} changes or adds agent settings (e.g. {@code logs.batch.maxBytes=262144
 * kafka.properties.batch.size=262144}).
 */
public final class LogShippingBench {

  private static final int CONTAINERS = 20;
  private static final String NODE = "bench-node";
  private static final String AGENT_TOPIC = "k8s-logs";
  private static final String PEER_TOPIC = "rsyslog-logs";
  private static final String KAFKA_PROPERTIES = "kafka.properties.";
  private static final long QUIET_NANOS = Duration.ofSeconds(20).toNanos();
  private static final String DEFAULT_JVM = "-Xms64m -Xmx64m -XX:+UseSerialGC -XX:MaxMetaspaceSize=64m "
      + "-XX:ReservedCodeCacheSize=24m -XX:CICompilerCount=2 -Xss256k -XX:MaxDirectMemorySize=32m "
      + "-XX:+ExitOnOutOfMemoryError";

  /** glibc's malloc keeps up to 8 arenas per core otherwise: tens of MB of RSS for a few busy threads. */
  private static final Map<String, String> DEFAULT_ENV = Map.of("MALLOC_ARENA_MAX", "2");

  private LogShippingBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    long lines = Long.parseLong(options.getOrDefault("lines", "1000000"));
    int steadyRate = Integer.parseInt(options.getOrDefault("steady-rate", "8500"));
    int steadySeconds = Integer.parseInt(options.getOrDefault("steady-seconds", "120"));
    List<String> jvm = new ArrayList<>(List.of(options.getOrDefault("agent-jvm", DEFAULT_JVM).trim().split("\\s+")));
    Path work = Files.createTempDirectory("kube-observe-logbench-");
    if (options.containsKey("jfr")) {
      jvm.add("-XX:StartFlightRecording=filename=" + work.resolve("agent.jfr") + ",settings=profile,dumponexit=true");
    }
    Path root = Files.createDirectories(work.resolve("pods"));
    System.out.printf("work directory %s; agent JVM: %s; environment %s%n", work, String.join(" ", jvm), DEFAULT_ENV);

    try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"));
         SimulatedApiServer api = SimulatedApiServer.start()) {
      createTopics(kafka.bootstrapServers());
      List<ContainerLogRef> backlogContainers = containers("backlog");
      List<ContainerLogRef> steadyContainers = containers("steady");
      Stream.concat(backlogContainers.stream(), steadyContainers.stream()).forEach(c -> createPod(api, c));

      System.out.printf("writing %,d entries over %d containers ...%n", lines, CONTAINERS);
      long writeStart = System.nanoTime();
      long entries;
      // no rotation: shippers start at the beginning of the current files, and rotated files present at start are not read
      try (ContainerLogs backlog = writer(root, backlogContainers, 5_000, "backlog", RotationPolicy.none())) {
        await(() -> stopWhenWritten(backlog, backlogContainers, lines / CONTAINERS), Duration.ofMinutes(10));
        entries = backlogContainers.stream().mapToLong(backlog::lastSequence).sum();
      }
      long[] written = countLines(root);
      System.out.printf("written %,d entries: %,d CRI lines, %,d bytes in %.1f s%n", entries, written[0], written[1],
          (System.nanoTime() - writeStart) / 1e9);

      AgentLauncher launcher = new AgentLauncher(Path.of(options.getOrDefault("jar", "launcher/target/kube-observe.jar")).toAbsolutePath(),
          jvm, DEFAULT_ENV, agentSettings(kafka.bootstrapServers(), api.writeKubeconfig(work.resolve("kubeconfig")), root,
          work.resolve("checkpoints"), options.getOrDefault("agent-set", "")), work);
      List<Shipper> shippers = new ArrayList<>();
      try (TopicCounter agentCounter = new TopicCounter(kafka.bootstrapServers(), AGENT_TOPIC, TopicCounter.Format.OTLP);
           TopicCounter peerCounter = new TopicCounter(kafka.bootstrapServers(), PEER_TOPIC, TopicCounter.Format.RAW)) {
        long started = System.nanoTime();
        ChildProcess agent = launcher.start();
        shippers.add(new Shipper("kube-observe agent", agent, agentCounter));
        if (!options.containsKey("no-peer")) {
          shippers.add(new Shipper("rsyslog " + rsyslogVersion(), RsyslogPeer.start(root, kafka.bootstrapServers(),
              PEER_TOPIC, work), peerCounter));
        }
        try {
          long agentReadyCpu = ProcStats.cpuNanos(agent.pid());
          System.out.printf("agent ready in %.1f s, %.2f CPU-s; ignored settings: %s%n",
              (System.nanoTime() - started) / 1e9, agentReadyCpu / 1e9, launcher.ignoredSettings());
          await(() -> {
            shippers.forEach(Shipper::sample);
            // the agent joins P/F pieces (fewer records than CRI lines); the peer ships each CRI line
            return shippers.stream().allMatch(s -> s.settled(s == shippers.get(0) ? entries : written[0], QUIET_NANOS));
          }, Duration.ofMinutes(20));
          System.out.printf(Locale.ROOT, "%n## backlog: %,d entries, %,d CRI lines (mean %.0f bytes), %.1f MB%n%n",
              entries, written[0], written[1] / (double) written[0], written[1] / 1e6);
          System.out.println("| shipper | records delivered | CPU s | wall s | CRI lines / CPU-s | MB / CPU-s | peak RSS MiB |");
          System.out.println("|---|---|---|---|---|---|---|");
          for (Shipper shipper : shippers) {
            double cpu = shipper.cpuAtLastGrowth() / 1e9;
            System.out.printf(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %,.0f | %.1f | %d |%n", shipper.name,
                shipper.counter.lines(), cpu, (shipper.nanosAtLastGrowth() - started) / 1e9, written[0] / cpu,
                written[1] / 1e6 / cpu, shipper.peakRss() >> 20);
          }
          shippers.stream().filter(s -> s.counter.undecodable() > 0).forEach(s ->
              System.out.printf("%s: %,d records that are not OTLP logs%n", s.name, s.counter.undecodable()));
          double agentWorkCpu = (shippers.get(0).cpuAtLastGrowth() - agentReadyCpu) / 1e9;
          System.out.printf(Locale.ROOT, "agent without its start (%.1f CPU-s until /healthz): %,.0f CRI lines / CPU-s%n",
              agentReadyCpu / 1e9, written[0] / agentWorkCpu);
          if (shippers.size() > 1) {
            System.out.printf(Locale.ROOT, "agent / rsyslog, CRI lines per CPU-second: %.2f (without the agent's start: %.2f)%n",
                shippers.get(1).cpuAtLastGrowth() / (double) shippers.get(0).cpuAtLastGrowth(),
                shippers.get(1).cpuAtLastGrowth() / 1e9 / agentWorkCpu);
          }
          steady(root, steadyContainers, steadyRate, steadySeconds, shippers);
        } finally {
          shippers.forEach(s -> s.process.close());
        }
      }
      FileTrees.deleteQuietly(root);
      if (options.containsKey("jfr")) {
        System.out.printf("%n## agent profile (JFR: jdk.ExecutionSample, jdk.ObjectAllocationSample, "
            + "jdk.GarbageCollection; whole run)%n%n```%n%s```%n",
            JfrProfile.summarize(work.resolve("agent.jfr"), 15));
      }
    }
  }

  private static void steady(Path root, List<ContainerLogRef> containers, int rate, int seconds, List<Shipper> shippers)
      throws Exception {
    Instant from = Instant.now();
    shippers.forEach(s -> {
      s.counter.measureLatencyFrom(from);
      s.resetPeakRss();
    });
    long[] cpuBefore = shippers.stream().mapToLong(Shipper::cpuNanos).toArray();
    long[] linesBefore = shippers.stream().mapToLong(s -> s.counter.lines()).toArray();
    long[] filesBefore = countLines(root);
    long start = System.nanoTime();
    try (ContainerLogs steady = writer(root, containers, rate / (double) CONTAINERS, "steady",
        new RotationPolicy(10L << 20, 1000, RotationPolicy.Mode.RENAME))) {
      await(() -> {
        shippers.forEach(Shipper::sample);
        return System.nanoTime() - start >= Duration.ofSeconds(seconds).toNanos();
      }, Duration.ofSeconds(seconds + 60));
    }
    long wall = System.nanoTime() - start;
    long[] cpuAfter = shippers.stream().mapToLong(Shipper::cpuNanos).toArray();
    long[] filesAfter = countLines(root);
    await(() -> {
      shippers.forEach(Shipper::sample);
      return shippers.stream().allMatch(s -> System.nanoTime() - s.nanosAtLastGrowth() > Duration.ofSeconds(5).toNanos());
    }, Duration.ofMinutes(5));
    System.out.printf(Locale.ROOT, "%n## steady: %,.0f CRI lines/s (%,.0f bytes/s) for %d s%n%n",
        (filesAfter[0] - filesBefore[0]) / (wall / 1e9), (filesAfter[1] - filesBefore[1]) / (wall / 1e9), seconds);
    System.out.println("| shipper | records delivered | CPU % of one core | peak RSS MiB | latency p50 ms | p99 ms | lines measured |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int i = 0; i < shippers.size(); i++) {
      Shipper shipper = shippers.get(i);
      long[] p50 = shipper.counter.latencyQuantile(0.5);
      long[] p99 = shipper.counter.latencyQuantile(0.99);
      System.out.printf(Locale.ROOT, "| %s | %,d | %.1f | %d | %d | %d | %,d |%n", shipper.name,
          shipper.counter.lines() - linesBefore[i], 100.0 * (cpuAfter[i] - cpuBefore[i]) / wall,
          shipper.peakRss() >> 20, p50[0], p99[0], p99[1]);
    }
  }

  /** @param overrides {@code --agent-set}: space-separated {@code key=value} settings replacing or adding to these */
  private static Map<String, Object> agentSettings(String bootstrap, Path kubeconfig, Path root, Path checkpoints,
      String overrides) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("kafka.bootstrapServers", List.of(bootstrap));
    settings.put("kafka.provisioning.replicationFactor", 1);
    settings.put("kafka.provisioning.minInsyncReplicas", 1);
    settings.put("cluster.name", "bench");
    settings.put("ops.port", Ports.freeLoopbackPort());
    settings.put("ops.address", "127.0.0.1");
    settings.put("kubernetes.enabled", true);
    settings.put("kubernetes.kubeconfig", kubeconfig);
    settings.put("node.name", NODE);
    settings.put("kubelet.endpoints", List.of());
    settings.put("signals.enabled", true);
    settings.put("heartbeat.enabled", true);
    settings.put("logs.root", root);
    settings.put("checkpoints.dir", checkpoints);
    settings.put("logs.startAt", "beginning");
    settings.put("logs.compression", "lz4");
    for (String setting : overrides.trim().split("\\s+")) {
      if (!setting.isEmpty()) {
        String[] keyValue = setting.split("=", 2);
        String value = keyValue[1];
        if (keyValue[0].startsWith(KAFKA_PROPERTIES)) { // client property names hold dots: one map of them
          @SuppressWarnings("unchecked")
          Map<String, Object> properties = (Map<String, Object>) settings.computeIfAbsent(
              KAFKA_PROPERTIES.substring(0, KAFKA_PROPERTIES.length() - 1), k -> new LinkedHashMap<>());
          properties.put(keyValue[0].substring(KAFKA_PROPERTIES.length()), value);
        } else {
          settings.put(keyValue[0], value.matches("-?\\d+") ? (Object) Long.parseLong(value)
              : value.equals("true") || value.equals("false") ? (Object) Boolean.parseBoolean(value) : value);
        }
      }
    }
    return settings;
  }

  private static List<ContainerLogRef> containers(String namespace) {
    List<ContainerLogRef> containers = new ArrayList<>();
    for (int i = 0; i < CONTAINERS; i++) {
      containers.add(new ContainerLogRef(namespace, "app-" + i + "-7d4b9c-x2x7k",
          UUID.nameUUIDFromBytes((namespace + i).getBytes()).toString(), "main"));
    }
    return containers;
  }

  /** A running pod on the bench node, as the kubelet reports it, owning the container's log directory. */
  private static void createPod(SimulatedApiServer api, ContainerLogRef container) {
    api.store().ensureNamespace(container.namespace());
    ObjectNode pod = Json.MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
    ObjectNode metadata = pod.putObject("metadata").put("name", container.pod()).put("namespace", container.namespace())
        .put("uid", container.uid());
    metadata.putObject("labels").put("app", container.pod().substring(0, container.pod().indexOf("-7d4b9c")))
        .put("pod-template-hash", "7d4b9c");
    metadata.putObject("annotations").put("kubernetes.io/psp", "restricted");
    metadata.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "ReplicaSet")
        .put("name", container.pod().substring(0, container.pod().lastIndexOf('-'))).put("uid", UUID.randomUUID().toString())
        .put("controller", true);
    ObjectNode spec = pod.putObject("spec").put("nodeName", NODE);
    spec.putArray("containers").addObject().put("name", container.container()).put("image", "registry.example/app:1.0");
    ObjectNode status = pod.putObject("status").put("phase", "Running");
    status.putArray("containerStatuses").addObject().put("name", container.container()).put("ready", true)
        .put("restartCount", 0).put("image", "registry.example/app:1.0")
        .put("imageID", "registry.example/app@sha256:" + "0".repeat(64))
        .put("containerID", "containerd://" + container.uid().replace("-", "") + container.uid().replace("-", ""))
        .putObject("state").putObject("running").put("startedAt", Json.time(Instant.now()));
    api.store().create(pod);
  }

  private static ContainerLogs writer(Path root, List<ContainerLogRef> containers, double entriesPerSecond, String seed,
      RotationPolicy rotation) {
    ContainerLogs logs = ContainerLogs.builder(root).linesPerSecond(entriesPerSecond).maxLineBytes(1024)
        .longLineEvery(50).seed(seed.hashCode()).rotation(rotation).build();
    containers.forEach(c -> logs.add(c, 0));
    return logs.start();
  }

  private static boolean stopWhenWritten(ContainerLogs logs, List<ContainerLogRef> containers, long entries) {
    boolean all = true;
    for (ContainerLogRef container : containers) {
      if (logs.lastSequence(container) >= entries) {
        logs.stop(container);
      } else {
        all = false;
      }
    }
    return all;
  }

  /** CRI lines and bytes in every file under {@code root}. */
  private static long[] countLines(Path root) throws IOException {
    long[] totals = new long[2];
    try (Stream<Path> files = Files.find(root, 3, (p, a) -> a.isRegularFile())) {
      for (Path file : files.toList()) {
        byte[] data = Files.readAllBytes(file);
        totals[1] += data.length;
        for (byte b : data) {
          if (b == '\n') {
            totals[0]++;
          }
        }
      }
    }
    return totals;
  }

  private static void createTopics(String bootstrap) throws Exception {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(properties)) {
      Map<String, String> config = Map.of("message.timestamp.type", "LogAppendTime", "min.insync.replicas", "1");
      admin.createTopics(List.of(new NewTopic(AGENT_TOPIC, 6, (short) 1).configs(config),
          new NewTopic(PEER_TOPIC, 6, (short) 1).configs(config))).all().get();
    }
  }

  private static String rsyslogVersion() {
    try {
      Process version = new ProcessBuilder("/usr/sbin/rsyslogd", "-v").redirectErrorStream(true).start();
      String first = new String(version.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      return first.replaceAll("^rsyslogd\\s+(\\S+).*", "$1");
    } catch (IOException e) {
      return "?";
    }
  }

  /** Polls {@code condition} every 500 ms until it holds; fails after {@code timeout}. */
  private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done within " + timeout);
      }
      Thread.sleep(500);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      boolean flag = name.equals("jfr") || name.equals("no-peer");
      options.put(name, flag ? "true" : args[++i]);
    }
    return options;
  }
}
