package io.kubeobserve.launcher;

import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.agent.logs.DryRun;
import io.kubeobserve.core.runtime.ServiceRuntime;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs one service until SIGTERM or Ctrl-C; one instance per {@link ServiceKind}. The agent also has
 * a dry run: {@code agent --once --output json} prints the log records of every file under {@code
 * logs.root} and exits, without Kafka.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = KubeObserve.Version.class)
final class ServiceCommand implements Callable<Integer> {

  @Mixin ConfigOptions options = new ConfigOptions();

  @Spec CommandSpec spec;

  @Option(names = "--once", description = "agent only: read every log file under logs.root once, print its records "
      + "and exit (no Kafka)")
  boolean once;

  @Option(names = "--output", paramLabel = "FORMAT", description = "agent only, with --once: json (one object per "
      + "record and line; the default)")
  String output;

  private final ServiceKind<?> kind;

  private ServiceCommand(ServiceKind<?> kind) {
    this.kind = kind;
  }

  /** The sub-command line of {@code kind}, with its name and description. */
  static CommandLine of(ServiceKind<?> kind) {
    CommandLine commandLine = new CommandLine(new ServiceCommand(kind));
    commandLine.getCommandSpec().name(kind.command()).usageMessage().description(kind.description());
    return commandLine;
  }

  @Override
  public Integer call() throws Exception {
    if ((once || output != null) && kind != ServiceKind.AGENT) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--once and --output are options of the agent's dry run only, not of " + kind.command());
    }
    if (output != null && (!once || !output.equals("json"))) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--output: expected json, with --once; got '" + output + "'" + (once ? "" : " without --once"));
    }
    if (once) {
      AgentConfig config = ServiceKind.AGENT.load(options.sources());
      DryRun.run(config, spec.commandLine().getOut());
      return 0;
    }
    ServiceRuntime runtime = kind.start(options.sources()).closeOnShutdownSignal();
    runtime.awaitStopped();
    return 0;
  }
}
