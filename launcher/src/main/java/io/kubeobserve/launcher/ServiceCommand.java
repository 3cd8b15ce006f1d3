package io.kubeobserve.launcher;

import io.kubeobserve.core.runtime.ServiceRuntime;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs one service until SIGTERM or Ctrl-C; one instance per {@link ServiceKind}. */
@Command(mixinStandardHelpOptions = true, versionProvider = KubeObserve.Version.class)
final class ServiceCommand implements Callable<Integer> {

  @Mixin ConfigOptions options = new ConfigOptions();

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
    ServiceRuntime runtime = kind.start(options.sources()).closeOnShutdownSignal();
    runtime.awaitStopped();
    return 0;
  }
}
