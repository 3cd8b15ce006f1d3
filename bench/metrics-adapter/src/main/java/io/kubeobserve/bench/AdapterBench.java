package io.kubeobserve.bench;

import io.kubeobserve.adapter.store.SeriesStore;
import io.kubeobserve.agent.kubelet.ExpositionMapper;
import io.kubeobserve.agent.kubelet.ExpositionParser;
import io.kubeobserve.agent.kubelet.ScrapeOrigin;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The metrics-adapter's benchmarks, single-threaded, measured in CPU time of the measuring thread
 * ({@link ThreadMXBean}) and of the whole process (JIT and GC included):
 *
 * <ul>
 *   <li>{@code ingest}: samples stored per CPU-second (decode + store) of recorded cAdvisor scrapes
 *       of many nodes, every sample new (timestamps advance each round), series already known;
 *       also the first sight of the series, and for comparison decoding alone with protobuf-java's
 *       generated parser;
 *   <li>{@code render}: one scrape of 500,000 series (100 nodes × 110 pods × 45 series, labels
 *       shaped as cAdvisor's): snapshot plus text format, OpenMetrics, and text with gzip.
 * </ul>
 *
 * <p>Usage: {@code java -Xmx2g -XX:+UseParallelGC -jar bench/metrics-adapter/target/kube-observe-bench-adapter.jar [ingest|render|all]}
 * from the repository root (it reads the cAdvisor fixture of {@code metrics-adapter}'s tests).
 */
public final class AdapterBench {

  private static final String FIXTURE =
      "metrics-adapter/src/test/resources/fixtures/cadvisor/metrics-cadvisor_k8s-1.24_containerd-1.6_minikube-arm64.txt";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private AdapterBench() {}

  public static void main(String[] args) throws Exception {
    String which = args.length == 0 ? "all" : args[0];
    System.out.printf(Locale.ROOT, "JVM %s %s, %d processors, max heap %d MiB, args %s%n",
        System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getRuntimeMXBean().getInputArguments());
    if (which.equals("ingest") || which.equals("all")) {
      ingest(Integer.getInteger("bench.nodes", 40), Integer.getInteger("bench.rounds", 5));
    }
    if (which.equals("render") || which.equals("all")) {
      render(Integer.getInteger("bench.nodes.render", 100), 110, Integer.getInteger("bench.passes", 7));
    }
  }

  // ---- ingest ----

  private static void ingest(int nodes, int rounds) throws Exception {
    Path fixture = Path.of(FIXTURE);
    if (!Files.isRegularFile(fixture)) {
      throw new IllegalStateException("run from the repository root: " + FIXTURE + " not found");
    }
    ExportMetricsServiceRequest scrape = ExpositionMapper.toOtlp(ExpositionParser.parse(Files.readAllBytes(fixture)),
        ScrapeOrigin.kubelet("bench", "node-0", "/metrics/cadvisor"), Instant.ofEpochMilli(1694016943000L));
    int samplesPerRecord = countPoints(scrape);
    // rounds[r][n]: node n's scrape r, 15 s after scrape r-1, counters 1% higher
    byte[][][] records = new byte[rounds][nodes][];
    long bytes = 0;
    for (int r = 0; r < rounds; r++) {
      for (int n = 0; n < nodes; n++) {
        records[r][n] = OtlpCodec.encodeMetrics(forNode(scrape, "node-" + n, r * 15_000_000_000L, 1 + r * 0.01));
        bytes += records[r][n].length;
      }
    }
    System.out.printf(Locale.ROOT, "%n## ingest: %d nodes x %d scrapes of the recorded cAdvisor endpoint "
        + "(%d samples, %.0f KiB of OTLP per record)%n%n", nodes, rounds, samplesPerRecord,
        bytes / (double) (nodes * rounds) / 1024);
    System.out.println("| pass | what | samples | thread CPU s | samples per thread-CPU-s | process CPU s | "
        + "samples per process-CPU-s | wall s |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    List<double[]> steady = new ArrayList<>();
    List<double[]> first = new ArrayList<>();
    List<double[]> generated = new ArrayList<>();
    for (int pass = 0; pass < 8; pass++) {
      boolean measured = pass >= 3;
      SeriesStore store = new SeriesStore(new SeriesStore.Settings(Duration.ofDays(3650), 10_000_000, 10_000_000,
          10_000_000, ""), Clock.fixed(Instant.ofEpochMilli(1694016943000L), ZoneOffset.UTC), new SimpleMeterRegistry());
      Measure creation = Measure.start();
      long created = 0;
      for (int n = 0; n < nodes; n++) {
        created += store.ingest(records[0][n], n % 6, 0, false).stored();
      }
      double[] c = creation.stop(created);
      Measure update = Measure.start();
      long stored = 0;
      for (int r = 1; r < rounds; r++) {
        for (int n = 0; n < nodes; n++) {
          stored += store.ingest(records[r][n], n % 6, 0, false).stored();
        }
      }
      double[] u = update.stop(stored);
      if (stored != (long) samplesPerRecord * nodes * (rounds - 1) || store.size() != samplesPerRecord * nodes) {
        throw new IllegalStateException("stored " + stored + " samples, " + store.size() + " series");
      }
      Measure parse = Measure.start();
      long parsed = 0;
      for (int r = 1; r < rounds; r++) {
        for (int n = 0; n < nodes; n++) {
          parsed += countPoints(ExportMetricsServiceRequest.parseFrom(records[r][n]));
        }
      }
      double[] p = parse.stop(parsed);
      if (measured) {
        first.add(c);
        steady.add(u);
        generated.add(p);
      }
      row(pass, "new series (first scrape)", c, measured);
      row(pass, "decode + store (known series)", u, measured);
      row(pass, "protobuf-java parseFrom only", p, measured);
    }
    System.out.println();
    summary("decode + store, known series", steady);
    summary("decode + store, new series", first);
    summary("protobuf-java parseFrom only (no store)", generated);
  }

  private static void row(int pass, String what, double[] m, boolean measured) {
    System.out.printf(Locale.ROOT, "| %s | %s | %,d | %.3f | %,.0f | %.3f | %,.0f | %.3f |%n",
        measured ? Integer.toString(pass) : pass + " (warm-up)", what, (long) m[0], m[1], m[0] / m[1], m[2],
        m[0] / m[2], m[3]);
  }

  private static void summary(String what, List<double[]> runs) {
    double[] perThreadCpu = runs.stream().mapToDouble(m -> m[0] / m[1]).sorted().toArray();
    double[] perProcessCpu = runs.stream().mapToDouble(m -> m[0] / m[2]).sorted().toArray();
    System.out.printf(Locale.ROOT, "%s: median %,.0f samples per thread-CPU-second (min %,.0f, max %,.0f), "
            + "median %,.0f per process-CPU-second%n", what, median(perThreadCpu), perThreadCpu[0],
        perThreadCpu[perThreadCpu.length - 1], median(perProcessCpu));
  }

  /** The scrape as node {@code node}'s, its times shifted and its counters scaled. */
  private static ExportMetricsServiceRequest forNode(ExportMetricsServiceRequest scrape, String node, long shiftNanos,
      double counterScale) {
    ExportMetricsServiceRequest.Builder builder = scrape.toBuilder();
    for (ResourceMetrics.Builder resource : builder.getResourceMetricsBuilderList()) {
      Resource.Builder attributes = resource.getResourceBuilder();
      for (int i = 0; i < attributes.getAttributesCount(); i++) {
        if (attributes.getAttributes(i).getKey().equals(Attributes.K8S_NODE_NAME)) {
          attributes.setAttributes(i, OtlpValues.string(Attributes.K8S_NODE_NAME, node));
        }
      }
      for (ScopeMetrics.Builder scope : resource.getScopeMetricsBuilderList()) {
        for (Metric.Builder metric : scope.getMetricsBuilderList()) {
          boolean counter = metric.hasSum();
          for (NumberDataPoint.Builder point : metric.hasGauge() ? metric.getGaugeBuilder().getDataPointsBuilderList()
              : metric.getSumBuilder().getDataPointsBuilderList()) {
            point.setTimeUnixNano(point.getTimeUnixNano() + shiftNanos);
            if (counter) {
              point.setAsDouble(point.getAsDouble() * counterScale);
            }
          }
        }
      }
    }
    return builder.build();
  }

  private static int countPoints(ExportMetricsServiceRequest request) {
    int points = 0;
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          points += metric.hasGauge() ? metric.getGauge().getDataPointsCount() : metric.getSum().getDataPointsCount();
        }
      }
    }
    return points;
  }

  // ---- render ----

  private static void render(int nodes, int podsPerNode, int passes) throws Exception {
    SeriesStore store = new SeriesStore(new SeriesStore.Settings(Duration.ofDays(3650), 10_000_000, 10_000_000,
        10_000_000, ""), Clock.systemUTC(), new SimpleMeterRegistry());
    long now = System.currentTimeMillis();
    for (int n = 0; n < nodes; n++) {
      store.ingest(OtlpCodec.encodeMetrics(syntheticNode(n, podsPerNode, now)), n % 6, now, false);
    }
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    System.out.printf(Locale.ROOT, "%n## render: one scrape of %,d series (%d nodes x %d pods x 45 series, "
        + "cAdvisor-shaped labels); heap in use after GC with the store: %d MiB%n%n", store.size(), nodes, podsPerNode,
        (runtime.totalMemory() - runtime.freeMemory()) >> 20);
    System.out.println("| format | pass | snapshot s (wall) | write s (wall) | total s (wall) | thread CPU s | "
        + "process CPU s | bytes |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    List<String> summaries = new ArrayList<>();
    for (String format : List.of("text", "openmetrics", "text+gzip")) {
      ExpositionFormatWriter writer = format.equals("openmetrics") ? OpenMetricsTextFormatWriter.create()
          : PrometheusTextFormatWriter.create();
      double[] totals = new double[passes];
      double[] cpus = new double[passes];
      for (int pass = -2; pass < passes; pass++) {
        Measure measure = Measure.start();
        long t0 = System.nanoTime();
        MetricSnapshots snapshots = store.snapshot(false);
        long t1 = System.nanoTime();
        CountingOutputStream counter = new CountingOutputStream();
        OutputStream out = counter;
        if (format.endsWith("gzip")) {
          out = new GZIPOutputStream(counter, 1 << 16) {
            {
              def.setLevel(Deflater.BEST_SPEED);
            }
          };
        }
        writer.write(out, snapshots);
        out.close();
        long t2 = System.nanoTime();
        double[] m = measure.stop(0);
        if (pass >= 0) {
          totals[pass] = (t2 - t0) / 1e9;
          cpus[pass] = m[1];
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %,d |%n", format,
            pass < 0 ? "warm-up" : Integer.toString(pass), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t2 - t0) / 1e9, m[1],
            m[2], counter.count);
      }
      Arrays.sort(totals);
      Arrays.sort(cpus);
      summaries.add(String.format(Locale.ROOT, "%s: median %.3f s wall (min %.3f, max %.3f), median %.3f s thread CPU",
          format, median(totals), totals[0], totals[passes - 1], median(cpus)));
    }
    System.out.println();
    summaries.forEach(System.out::println);
  }

  /** One node's scrape: per pod its cgroup, pause and app container, 15 cAdvisor families each. */
  static ExportMetricsServiceRequest syntheticNode(int node, int pods, long nowMillis) {
    String nodeName = String.format(Locale.ROOT, "ip-10-0-%d-%d.eu-west-1.compute.internal", node / 250, node % 250);
    String[] gauges = {"container_memory_working_set_bytes", "container_memory_rss", "container_memory_cache",
        "container_memory_usage_bytes", "container_memory_swap", "container_spec_memory_limit_bytes",
        "container_spec_cpu_shares", "container_threads", "container_processes", "container_file_descriptors"};
    String[] counters = {"container_cpu_usage_seconds_total", "container_cpu_user_seconds_total",
        "container_cpu_system_seconds_total", "container_network_receive_bytes_total",
        "container_network_transmit_bytes_total"};
    List<Metric.Builder> metrics = new ArrayList<>();
    for (String name : gauges) {
      metrics.add(Metric.newBuilder().setName(name).setDescription("a cAdvisor gauge")
          .setGauge(Gauge.newBuilder()));
    }
    for (String name : counters) {
      metrics.add(Metric.newBuilder().setName(name).setDescription("a cAdvisor counter")
          .setSum(Sum.newBuilder().setIsMonotonic(true)
              .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)));
    }
    long time = nowMillis * 1_000_000L;
    for (int p = 0; p < pods; p++) {
      String namespace = "team-" + (p % 12);
      String pod = String.format(Locale.ROOT, "service-%d-7d4b9c%05d-x%dk", p, node, p % 10);
      String uid = String.format(Locale.ROOT, "%08x-6f7a-4b1e-9a43-%012x", node * 1000 + p, (long) node << 20 | p);
      String[][] cgroups = {
          {"", "/kubepods/burstable/pod" + uid, "", ""},
          {"POD", "/kubepods/burstable/pod" + uid + "/" + hex(node, p, 1), "registry.k8s.io/pause:3.9", hex(node, p, 1)},
          {"app", "/kubepods/burstable/pod" + uid + "/" + hex(node, p, 2),
              "registry.example.com/team/service-" + p + ":1.4." + (p % 7), hex(node, p, 2)}};
      for (String[] cgroup : cgroups) {
        List<KeyValue> labels = List.of(OtlpValues.string("container", cgroup[0]), OtlpValues.string("id", cgroup[1]),
            OtlpValues.string("image", cgroup[2]), OtlpValues.string("name", cgroup[3]),
            OtlpValues.string("namespace", namespace), OtlpValues.string("pod", pod));
        for (int m = 0; m < metrics.size(); m++) {
          NumberDataPoint point = NumberDataPoint.newBuilder().addAllAttributes(labels).setTimeUnixNano(time)
              .setAsDouble(1_000_000.0 * (p + 1) + m).build();
          if (metrics.get(m).hasGauge()) {
            metrics.get(m).getGaugeBuilder().addDataPoints(point);
          } else {
            metrics.get(m).getSumBuilder().addDataPoints(point);
          }
        }
      }
    }
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    metrics.forEach(scope::addMetrics);
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, "bench"))
            .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, nodeName))
            .addAttributes(OtlpValues.string(Attributes.KUBE_OBSERVE_SCRAPE_JOB, "kubelet"))
            .addAttributes(OtlpValues.string(Attributes.KUBE_OBSERVE_SCRAPE_PATH, "/metrics/cadvisor")))
        .addScopeMetrics(scope)).build();
  }

  private static String hex(int node, int pod, int container) {
    StringBuilder id = new StringBuilder();
    long seed = (long) node * 1_000_003 + pod * 31L + container;
    while (id.length() < 64) {
      seed = seed * 6364136223846793005L + 1442695040888963407L;
      id.append(String.format(Locale.ROOT, "%016x", seed));
    }
    return id.substring(0, 64);
  }

  private static double median(double[] sorted) {
    return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  }

  /** Thread CPU, process CPU and wall time of a span. */
  private record Measure(long thread, long process, long wall) {
    static Measure start() {
      return new Measure(THREADS.getCurrentThreadCpuTime(), OS.getProcessCpuTime(), System.nanoTime());
    }

    /** {count, thread CPU s, process CPU s, wall s}. */
    double[] stop(long count) {
      return new double[] {count, (THREADS.getCurrentThreadCpuTime() - thread) / 1e9,
          (OS.getProcessCpuTime() - process) / 1e9, (System.nanoTime() - wall) / 1e9};
    }
  }

  private static final class CountingOutputStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      count += len;
    }
  }
}
