package io.kubeobserve.bench;

import com.sun.net.httpserver.HttpServer;
import io.kubeobserve.agent.kubelet.DirectKubeletTransport;
import io.kubeobserve.agent.kubelet.Exposition;
import io.kubeobserve.agent.kubelet.ExpositionMapper;
import io.kubeobserve.agent.kubelet.ExpositionParser;
import io.kubeobserve.agent.kubelet.KubeletScraper;
import io.kubeobserve.agent.kubelet.KubeletTls;
import io.kubeobserve.agent.kubelet.MetricFamily;
import io.kubeobserve.agent.kubelet.MetricType;
import io.kubeobserve.agent.kubelet.OtlpSplitter;
import io.kubeobserve.agent.kubelet.ProtobufExposition;
import io.kubeobserve.agent.kubelet.Sample;
import io.kubeobserve.agent.kubelet.ScrapeOrigin;
import io.kubeobserve.core.contract.OtlpCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_31_1.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Scrape and conversion cost of a 110-pod node's {@code /metrics/cadvisor}, per scrape, in CPU
 * milliseconds and bytes allocated of the scraping thread ({@code ThreadMXBean}), and in process CPU
 * (HTTP client and server threads, GC and JIT included):
 *
 * <ul>
 *   <li>{@code convert}: text → {@link ExpositionParser} → {@link ExpositionMapper} → {@link OtlpSplitter}
 *       → {@link OtlpCodec} (the bytes produced to Kafka), in the thread;
 *   <li>{@code scrape}: the same through the agent's {@link KubeletScraper} and its
 *       {@link DirectKubeletTransport} from a loopback HTTP server (plain HTTP: TLS not measured);
 *   <li>{@code protobuf}: the same payload in the delimited protobuf exposition, decoded with the
 *       generated {@code MetricFamily} classes ({@link ProtobufExposition}) instead of the text parser.
 * </ul>
 *
 * <p>The 110-pod payload is synthesized from the recorded cAdvisor scrape (see {@link #synthesize}).
 * Usage, from the repository root: {@code java -Xmx512m -jar bench/collector-agent/target/kube-observe-bench-agent.jar}.
 */
public final class AgentScrapeBench {

  private static final String FIXTURE =
      "collector-agent/src/test/resources/fixtures/cadvisor/metrics-cadvisor_k8s-1.24_containerd-1.6_minikube-arm64.txt";
  private static final int PODS = 110;
  private static final int WARMUP = 100;
  private static final int MEASURED = 300;
  private static final Instant NOW = Instant.parse("2023-09-06T16:15:45Z");
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private AgentScrapeBench() {}

  public static void main(String[] args) throws Exception {
    Exposition recorded = ExpositionParser.parse(Files.readAllBytes(Path.of(FIXTURE)));
    Exposition node = synthesize(recorded, PODS);
    byte[] text = render(node).getBytes(StandardCharsets.UTF_8);
    byte[] protobuf = protobuf(ExpositionParser.parse(text));
    Exposition check = ExpositionParser.parse(text);
    Exposition checkProto = ProtobufExposition.parse(protobuf);
    if (check.sampleCount() != checkProto.sampleCount()) {
      throw new IllegalStateException("protobuf and text disagree: " + checkProto.sampleCount() + " vs "
          + check.sampleCount());
    }
    List<ExportMetricsServiceRequest> parts = convert(text, false);
    long otlpBytes = parts.stream().mapToLong(ExportMetricsServiceRequest::getSerializedSize).sum();
    System.out.printf(Locale.ROOT, "payload: %d pods (recorded %d), %d families, %d samples, text %d bytes, "
            + "protobuf %d bytes, OTLP %d bytes in %d records%n", pods(check).size(), pods(recorded).size(),
        check.families().size(), check.sampleCount(), text.length, protobuf.length, otlpBytes, parts.size());

    measure("convert (text)", () -> convert(text, false));
    measure("convert (protobuf)", () -> convert(protobuf, true));

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics/cadvisor", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, text.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(text);
      }
    });
    server.start();
    try {
      KubeletScraper scraper = new KubeletScraper(new DirectKubeletTransport(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort()), Optional.empty(), KubeletTls.trustingAnything(),
          Optional.empty(), 64 << 20), new KubeletScraper.Settings(List.of("/metrics/cadvisor"), Duration.ofSeconds(30),
          Duration.ZERO, Duration.ofSeconds(10), false, Pattern.compile(".*"), 900_000), "bench", "node-110",
          new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()), "metrics",
          new SimpleMeterRegistry(), Clock.systemUTC());
      measure("scrape over HTTP (text)", () -> {
        List<ExportMetricsServiceRequest> records = scraper.scrape("/metrics/cadvisor").records();
        for (ExportMetricsServiceRequest record : records) {
          OtlpCodec.encodeMetrics(record);
        }
        return records;
      });
    } finally {
      server.stop(0);
    }
  }

  private interface Work {
    Object run() throws Exception;
  }

  private static void measure(String name, Work work) throws Exception {
    for (int i = 0; i < WARMUP; i++) {
      work.run();
    }
    long[] cpu = new long[MEASURED];
    long[] allocated = new long[MEASURED];
    long thread = Thread.currentThread().getId();
    long processStart = OS.getProcessCpuTime();
    long wallStart = System.nanoTime();
    for (int i = 0; i < MEASURED; i++) {
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long alloc0 = THREADS.getThreadAllocatedBytes(thread);
      work.run();
      cpu[i] = THREADS.getCurrentThreadCpuTime() - cpu0;
      allocated[i] = THREADS.getThreadAllocatedBytes(thread) - alloc0;
    }
    double processMs = (OS.getProcessCpuTime() - processStart) / 1e6 / MEASURED;
    double wallMs = (System.nanoTime() - wallStart) / 1e6 / MEASURED;
    Arrays.sort(cpu);
    Arrays.sort(allocated);
    System.out.printf(Locale.ROOT, "%-26s thread CPU per scrape: median %.1f ms, p90 %.1f ms; process CPU %.1f ms; "
            + "wall %.1f ms; allocated median %.1f MB%n", name, cpu[MEASURED / 2] / 1e6, cpu[MEASURED * 9 / 10] / 1e6,
        processMs, wallMs, allocated[MEASURED / 2] / 1e6);
  }

  private static List<ExportMetricsServiceRequest> convert(byte[] body, boolean protobuf) throws Exception {
    Exposition exposition = protobuf ? ProtobufExposition.parse(body) : ExpositionParser.parse(body);
    ExportMetricsServiceRequest request = ExpositionMapper.toOtlp(exposition,
        ScrapeOrigin.kubelet("bench", "node-110", "/metrics/cadvisor"), NOW);
    List<ExportMetricsServiceRequest> parts = OtlpSplitter.split(request, 900_000);
    for (ExportMetricsServiceRequest part : parts) {
      OtlpCodec.encodeMetrics(part);
    }
    return parts;
  }

  private static Set<String> pods(Exposition exposition) {
    Set<String> pods = new LinkedHashSet<>();
    for (MetricFamily family : exposition.families()) {
      for (Sample sample : family.samples()) {
        String pod = sample.labels().getOrDefault("pod", "");
        if (!pod.isEmpty()) {
          pods.add(sample.labels().getOrDefault("namespace", "") + "/" + pod);
        }
      }
    }
    return pods;
  }

  /**
   * A node with {@code pods} pods from the recorded one: node-level series (no {@code pod} label) once;
   * the recorded pods' series first as they are, then again as copies {@code <pod>-r<n>} (n = 1, 2, ...)
   * of the recorded pods in order until there are {@code pods} pods. A copy's {@code id} (cgroup path)
   * and {@code name} (container id) get the same {@code -r<n>} suffix so that every series is new; its
   * values and timestamps are the original's.
   */
  static Exposition synthesize(Exposition recorded, int pods) {
    List<String> original = new ArrayList<>(pods(recorded));
    List<String[]> copies = new ArrayList<>(); // {namespace/pod, suffix}
    for (int round = 0; copies.size() < pods; round++) {
      for (String pod : original) {
        if (copies.size() < pods) {
          copies.add(new String[] {pod, round == 0 ? "" : "-r" + round});
        }
      }
    }
    List<MetricFamily> families = new ArrayList<>();
    for (MetricFamily family : recorded.families()) {
      List<Sample> samples = new ArrayList<>();
      for (Sample sample : family.samples()) {
        String pod = sample.labels().getOrDefault("pod", "");
        if (pod.isEmpty()) {
          samples.add(sample);
        }
      }
      for (String[] copy : copies) {
        for (Sample sample : family.samples()) {
          String pod = sample.labels().getOrDefault("pod", "");
          if (pod.isEmpty() || !(sample.labels().getOrDefault("namespace", "") + "/" + pod).equals(copy[0])) {
            continue;
          }
          Map<String, String> labels = new LinkedHashMap<>(sample.labels());
          if (!copy[1].isEmpty()) {
            labels.put("pod", pod + copy[1]);
            labels.computeIfPresent("id", (k, v) -> v.isEmpty() ? v : v + copy[1]);
            labels.computeIfPresent("name", (k, v) -> v.isEmpty() ? v : v + copy[1]);
          }
          samples.add(new Sample(sample.name(), labels, sample.value(), sample.timestampMillis(), sample.line()));
        }
      }
      families.add(new MetricFamily(family.name(), family.type(), family.help(), samples));
    }
    return new Exposition(families);
  }

  static String render(Exposition exposition) {
    StringBuilder out = new StringBuilder();
    for (MetricFamily family : exposition.families()) {
      family.help().ifPresent(help -> out.append("# HELP ").append(family.name()).append(' ')
          .append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n'));
      out.append("# TYPE ").append(family.name()).append(' ').append(family.type().text()).append('\n');
      for (Sample sample : family.samples()) {
        out.append(sample.name());
        if (!sample.labels().isEmpty()) {
          out.append('{');
          boolean first = true;
          for (Map.Entry<String, String> label : sample.labels().entrySet()) {
            out.append(first ? "" : ",").append(label.getKey()).append("=\"").append(label.getValue()
                .replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
            first = false;
          }
          out.append('}');
        }
        out.append(' ').append(sample.value());
        sample.timestampMillis().ifPresent(t -> out.append(' ').append(t));
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** The exposition as Go's client_golang serves it for {@code Accept: application/vnd.google.protobuf}. */
  static byte[] protobuf(Exposition exposition) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (MetricFamily family : exposition.families()) {
      if (family.type() == MetricType.HISTOGRAM || family.type() == MetricType.SUMMARY) {
        throw new IllegalStateException("the cAdvisor payload has no histograms or summaries");
      }
      Metrics.MetricFamily.Builder message = Metrics.MetricFamily.newBuilder().setName(family.name())
          .setType(switch (family.type()) {
            case COUNTER -> Metrics.MetricType.COUNTER;
            case GAUGE -> Metrics.MetricType.GAUGE;
            default -> Metrics.MetricType.UNTYPED;
          });
      family.help().ifPresent(message::setHelp);
      for (Sample sample : family.samples()) {
        Metrics.Metric.Builder metric = Metrics.Metric.newBuilder();
        sample.labels().forEach((name, value) -> metric.addLabel(Metrics.LabelPair.newBuilder().setName(name)
            .setValue(value)));
        switch (family.type()) {
          case COUNTER -> metric.setCounter(Metrics.Counter.newBuilder().setValue(sample.value()));
          case GAUGE -> metric.setGauge(Metrics.Gauge.newBuilder().setValue(sample.value()));
          default -> metric.setUntyped(Metrics.Untyped.newBuilder().setValue(sample.value()));
        }
        sample.timestampMillis().ifPresent(metric::setTimestampMs);
        message.addMetric(metric);
      }
      message.build().writeDelimitedTo(out);
    }
    return out.toByteArray();
  }
}
