package io.kubeobserve.launcher;

import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.core.kafka.KafkaClients;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints a topic's records as JSON lines, OTLP decoded. Reads without a consumer group: nothing is committed. */
@Command(name = "tail", mixinStandardHelpOptions = true, description = "Print the records of a topic as JSON lines, with OTLP values decoded.")
final class TailCommand implements Callable<Integer> {

  enum From { BEGINNING, END }

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Option(names = "--topic", required = true, paramLabel = "NAME", description = "the topic, such as k8s-logs")
  String topic;

  @Option(names = "--from", paramLabel = "WHERE", description = "beginning (default) or end")
  From from = From.BEGINNING;

  @Option(names = "--max", paramLabel = "N", description = "exit after N records")
  long max = Long.MAX_VALUE;

  @Option(names = "--idle-exit", paramLabel = "SECONDS",
      description = "exit once no record arrived for this many seconds (default: follow until Ctrl-C)")
  long idleExitSeconds = 0;

  @Override
  public Integer call() throws Exception {
    ToolConfig config = ConfigLoader.load(ToolConfig.class, options.sources(), ToolConfig.DEFAULTS);
    PrintWriter out = spec.commandLine().getOut();
    RecordJson json = new RecordJson(config.kafka().topics());
    Map<String, Object> settings = KafkaClients.settings(config.kafka(), "kube-observe-tail",
        Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (partitions == null || partitions.isEmpty()) {
        spec.commandLine().getErr().println("kube-observe tail: topic " + topic + " does not exist");
        return 1;
      }
      List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(assigned);
      if (from == From.BEGINNING) {
        consumer.seekToBeginning(assigned);
      } else {
        consumer.seekToEnd(assigned);
      }
      long printed = 0;
      Instant lastRecord = Instant.now();
      while (printed < max) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          out.println(json.render(record));
          lastRecord = Instant.now();
          if (++printed >= max) {
            break;
          }
        }
        out.flush();
        if (idleExitSeconds > 0 && Duration.between(lastRecord, Instant.now()).toSeconds() >= idleExitSeconds) {
          break;
        }
      }
    }
    return 0;
  }
}
