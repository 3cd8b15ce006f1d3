package io.kubeobserve.launcher;

import io.kubeobserve.core.config.ConfigLoader;
import io.kubeobserve.router.RouterConfig;
import io.kubeobserve.router.replay.DeadletterReplay;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Sends dead-lettered records back to the topic they came from, once the cause is fixed. Documents
 * that were indexed the first time answer 409 and count as indexed, so a replay is safe to repeat.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Send dead-lettered records back to their source topic after the cause is fixed.")
final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options = new ConfigOptions();

  @Option(names = "--from", required = true, paramLabel = "TOPIC", description = "the dead-letter topic, such as k8s-deadletter")
  String from;

  @Option(names = "--from-beginning", description = "read the whole topic, not only what this replay group has not read yet")
  boolean fromBeginning;

  @Option(names = "--source-topic", paramLabel = "TOPIC", description = "replay only records that came from this topic")
  String sourceTopic;

  @Option(names = "--service", paramLabel = "NAME", description = "replay only records this service dead-lettered")
  String service;

  @Option(names = "--group", paramLabel = "ID", description = "consumer group remembering what was replayed")
  String group = "kube-observe-deadletter-replay";

  @Option(names = "--dry-run", description = "count what would be replayed, send nothing")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    RouterConfig config = ConfigLoader.load(RouterConfig.class, options.sources(), RouterConfig.DEFAULTS);
    DeadletterReplay.Result result = new DeadletterReplay(config.kafka()).run(new DeadletterReplay.Options(
        from, group, fromBeginning, Optional.ofNullable(service), Optional.ofNullable(sourceTopic), dryRun));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("read %d, %s %d, skipped %d%n", result.read(), dryRun ? "would replay" : "replayed",
        result.replayed(), result.skipped());
    result.replayedByTopic().forEach((topic, count) -> out.printf("  %s: %d%n", topic, count));
    return 0;
  }
}
