package io.kubeobserve.agent.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.agent.AgentService;
import io.kubeobserve.core.config.ConfigException;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.RecordUid;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code kube-observe agent --once --output json}: reads every container log file under {@code
 * logs.root} once, through the same parsing and joining as the agent, and prints one JSON object per
 * log record: {@code time}, {@code stream}, {@code log}, the flags {@code partial} and {@code
 * unparsed} when set, {@code file}, {@code uid} (its {@code log.record.uid}) and {@code resource}
 * (the attributes its path gives). No Kafka, no API server, no checkpoint: for checking parsing by
 * hand and for piping. Only the namespaces of {@code logs.include}/{@code logs.exclude} apply.
 */
public final class DryRun {

  private static final JsonFactory JSON = new JsonFactory();

  private DryRun() {}

  /**
   * Prints the records of every file under {@code config.logs().root()} to {@code out}.
   *
   * @return the number of records printed
   * @throws ConfigException when {@code logs.root} is not a directory
   */
  public static long run(AgentConfig config, Writer out) throws IOException {
    AgentConfig.Logs logs = config.logs();
    if (!Files.isDirectory(logs.root())) {
      throw new ConfigException("logs.root", "expected a directory of pod logs, got " + logs.root());
    }
    CollectionPolicy policy = new CollectionPolicy(logs.include(), logs.exclude(), logs.multiline().enabled());
    Pattern multiline = policy.joinsMultiline(Optional.empty()) ? Pattern.compile(logs.multiline().startPattern())
        : null;
    String nodeName = AgentService.nodeName(config);
    long[] printed = {0};
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.setRootValueSeparator(null);
      for (Discovery.Found found : new Discovery(logs.root()).scan().stream()
          .sorted(Comparator.comparing(f -> f.path().toString())).toList()) {
        if (!policy.collects(found.pod().namespace(), Optional.empty())) {
          continue;
        }
        Map<String, Object> resource = resource(config.cluster().name(), nodeName, found.pod());
        try (FileChannel channel = FileChannel.open(found.path(), StandardOpenOption.READ)) {
          FileIdentity identity = FileIdentity.of(found.device(), found.inode(), channel);
          if (identity == null) {
            identity = FileIdentity.ofWhole(found.device(), found.inode(), channel);
          }
          if (identity == null) {
            continue;
          }
          String id = identity.id();
          String path = found.path().toString();
          EntrySink print = (offset, time, stream, body, start, length, piece, unparsed) -> {
            write(json, out, time, stream, new String(body, start, length, StandardCharsets.UTF_8), piece, unparsed,
                path, RecordUid.logLine(id, offset), resource);
            printed[0]++;
          };
          LogFileReader reader = new LogFileReader(channel, 0, false, logs.maxEntryBytes(), multiline, print,
              new SimpleMeterRegistry().counter("reassembled"));
          while (reader.read(1 << 20, System.nanoTime()) > 0) {
            // read the file to its end
          }
          reader.finish(System.nanoTime(), true);
        } catch (NoSuchFileException e) {
          // deleted meanwhile
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }
    }
    out.flush();
    return printed[0];
  }

  private static Map<String, Object> resource(String cluster, String node, PodLogPath pod) {
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put(Attributes.K8S_CLUSTER_NAME, cluster);
    resource.put(Attributes.K8S_NODE_NAME, node);
    resource.put(Attributes.K8S_NAMESPACE_NAME, pod.namespace());
    resource.put(Attributes.K8S_POD_NAME, pod.podName());
    resource.put(Attributes.K8S_POD_UID, pod.podUid());
    resource.put(Attributes.K8S_CONTAINER_NAME, pod.containerName());
    resource.put(Attributes.K8S_CONTAINER_RESTART_COUNT, pod.restartCount());
    return resource;
  }

  private static void write(JsonGenerator json, Writer out, long time, LogStream stream, String log, boolean piece,
      boolean unparsed, String path, String uid, Map<String, Object> resource) {
    try {
      json.writeStartObject();
      if (time != Timestamps.INVALID) {
        json.writeStringField("time", Instant.ofEpochSecond(Math.floorDiv(time, 1_000_000_000L),
            Math.floorMod(time, 1_000_000_000L)).toString());
      }
      if (stream != null) {
        json.writeStringField("stream", stream.text());
      }
      json.writeStringField("log", log);
      if (piece) {
        json.writeBooleanField("partial", true);
      }
      if (unparsed) {
        json.writeBooleanField("unparsed", true);
      }
      json.writeStringField("file", path);
      json.writeStringField("uid", uid);
      json.writeObjectFieldStart("resource");
      for (Map.Entry<String, Object> attribute : resource.entrySet()) {
        if (attribute.getValue() instanceof Integer number) {
          json.writeNumberField(attribute.getKey(), number);
        } else {
          json.writeStringField(attribute.getKey(), (String) attribute.getValue());
        }
      }
      json.writeEndObject();
      json.writeEndObject();
      json.flush();
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
