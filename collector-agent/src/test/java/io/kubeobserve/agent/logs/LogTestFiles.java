package io.kubeobserve.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the log shipping tests share: container log files written as a runtime writes them (CRI
 * lines carrying {@code <<container#sequence>>} markers), the logs topic read back as a user reads
 * it, the agent's meters read from {@code /metrics}, and a verifier that names every missing,
 * duplicated or mangled line.
 */
public final class LogTestFiles {

  private static final Pattern MARKER = Pattern.compile("<<([^#>]+)#(\\d+)>>");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private LogTestFiles() {}

  /** A log record read back from the logs topic, attributes flattened to text. */
  public record Shipped(String key, Map<String, String> resource, Map<String, String> attributes, String body) {
    public String uid() {
      return attributes.get(Attributes.LOG_RECORD_UID);
    }

    public boolean partial() {
      return attributes.containsKey(Attributes.KUBE_OBSERVE_LOG_PARTIAL);
    }

    public boolean unparsed() {
      return attributes.containsKey(Attributes.KUBE_OBSERVE_LOG_UNPARSED);
    }
  }

  /** {@code <root>/<ns>_<pod>_<uid>/<container>/0.log}. */
  public static Path podFile(Path root, String namespace, String pod, String uid, String container) {
    return root.resolve(namespace + "_" + pod + "_" + uid).resolve(container).resolve("0.log");
  }

  /** One CRI line ({@code F}) with the time now, its newline included. */
  public static String cri(String stream, String message) {
    return Instant.now() + " " + stream + " F " + message + "\n";
  }

  /** The message of line {@code sequence} of {@code container}: its marker and some text. */
  public static String message(String container, int sequence) {
    return "<<" + container + "#" + sequence + ">> request handled in " + (sequence % 97) + " ms";
  }

  /** Appends lines {@code from..to} (inclusive) of {@code container} as CRI lines. */
  public static void appendLines(Path file, String container, int from, int to) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = from; i <= to; i++) {
      text.append(cri(i % 5 == 0 ? "stderr" : "stdout", message(container, i)));
    }
    append(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static void append(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Fails naming every sequence number of {@code container} in {@code from..to} that is missing or
   * shipped more than once, and every record whose body is not the line written.
   */
  public static void assertEachLineOnce(List<Shipped> shipped, String container, int from, int to) {
    Map<Integer, Integer> counts = new TreeMap<>();
    List<String> mangled = new ArrayList<>();
    for (Shipped record : shipped) {
      Matcher marker = MARKER.matcher(record.body());
      if (marker.lookingAt() && marker.group(1).equals(container)) {
        int sequence = Integer.parseInt(marker.group(2));
        counts.merge(sequence, 1, Integer::sum);
        if (!record.body().equals(message(container, sequence))) {
          mangled.add(sequence + ": " + record.body());
        }
      }
    }
    List<Integer> missing = new ArrayList<>();
    List<Integer> duplicated = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      int count = counts.getOrDefault(i, 0);
      if (count == 0) {
        missing.add(i);
      } else if (count > 1) {
        duplicated.add(i);
      }
    }
    assertThat(missing).as("lines of %s missing", container).isEmpty();
    assertThat(duplicated).as("lines of %s shipped more than once", container).isEmpty();
    assertThat(mangled).as("lines of %s not as written", container).isEmpty();
  }

  /** Fails naming every line of {@code container} in {@code from..to} that is missing; returns how many came twice or more. */
  public static long assertNoneMissing(List<Shipped> shipped, String container, int from, int to) {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (Shipped record : shipped) {
      Matcher marker = MARKER.matcher(record.body());
      if (marker.lookingAt() && marker.group(1).equals(container)) {
        counts.merge(Integer.parseInt(marker.group(2)), 1, Integer::sum);
      }
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      if (!counts.containsKey(i)) {
        missing.add(i);
      }
    }
    assertThat(missing).as("lines of %s missing", container).isEmpty();
    return counts.values().stream().filter(c -> c > 1).count();
  }

  /** How many lines of {@code container} were shipped, duplicates included. */
  public static long count(List<Shipped> shipped, String container) {
    return shipped.stream().filter(s -> s.body().startsWith("<<" + container + "#")).count();
  }

  /** The sum over all label sets of the meter {@code name} (Prometheus name) on the agent's {@code /metrics}. */
  public static double metric(int opsPort, String name) throws IOException, InterruptedException {
    String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The status code of {@code path} on the agent's ops port. */
  public static int status(int opsPort, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Reads a logs topic from its beginning, collecting every record. */
  public static final class LogsTopic implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Shipped> shipped = new CopyOnWriteArrayList<>();

    public LogsTopic(String bootstrapServers, String topic) {
      consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers, "group.id",
          "logs-" + UUID.randomUUID(), "auto.offset.reset", "earliest", "max.partition.fetch.bytes", 8 << 20,
          "fetch.max.bytes", 16 << 20), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(topic));
    }

    /** Polls once; every record read so far. */
    public List<Shipped> poll() throws Exception {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        shipped.addAll(decode(record.key(), record.value()));
      }
      return List.copyOf(shipped);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  /** The log records of one logs topic record. */
  public static List<Shipped> decode(byte[] key, byte[] value) throws Exception {
    List<Shipped> shipped = new ArrayList<>();
    for (ResourceLogs resourceLogs : OtlpCodec.decodeLogs(value).getResourceLogsList()) {
      Map<String, String> resource = flatten(resourceLogs.getResource().getAttributesList());
      for (LogRecord log : resourceLogs.getScopeLogs(0).getLogRecordsList()) {
        shipped.add(new Shipped(new String(key, StandardCharsets.UTF_8), resource, flatten(log.getAttributesList()),
            log.getBody().getStringValue()));
      }
    }
    return shipped;
  }

  private static Map<String, String> flatten(List<KeyValue> attributes) {
    Map<String, String> flat = new TreeMap<>();
    for (KeyValue kv : attributes) {
      AnyValue value = kv.getValue();
      flat.put(kv.getKey(), value.hasIntValue() ? Long.toString(value.getIntValue())
          : value.hasBoolValue() ? Boolean.toString(value.getBoolValue()) : value.getStringValue());
    }
    return flat;
  }
}
