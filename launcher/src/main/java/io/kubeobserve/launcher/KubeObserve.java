package io.kubeobserve.launcher;

import io.kubeobserve.core.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The {@code kube-observe} command. */
@Command(
    name = "kube-observe",
    mixinStandardHelpOptions = true,
    versionProvider = KubeObserve.Version.class,
    description = "A Kafka-centric observability pipeline for Kubernetes.")
public final class KubeObserve {

  private KubeObserve() {}

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs a command line and returns its exit code: 0 done, 1 failed, 2 bad configuration or usage. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new KubeObserve());
    commandLine.addSubcommand(new DemoCommand());
    for (ServiceKind<?> kind : ServiceKind.ALL) {
      commandLine.addSubcommand(kind.command(), ServiceCommand.of(kind));
    }
    commandLine.addSubcommand(new SimCommand());
    commandLine.addSubcommand(new ConfigCommand())
        .addSubcommand(new TailCommand())
        .addSubcommand(new ReplayCommand())
        .addSubcommand(new VersionCommand())
        .addSubcommand(new CommandLine.HelpCommand())
        .setOut(out)
        .setErr(err);
    commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
      if (e instanceof ConfigException) {
        cmd.getErr().println("kube-observe " + cmd.getCommandName() + ": config error: " + e.getMessage());
        return ConfigException.EXIT_CODE;
      }
      cmd.getErr().println("kube-observe " + cmd.getCommandName() + ": " + e);
      return 1;
    });
    return commandLine.execute(args);
  }

  static String version() {
    String version = KubeObserve.class.getPackage().getImplementationVersion();
    return version == null ? "development build" : version;
  }

  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kube-observe " + version()};
    }
  }

  @Command(name = "version", description = "Print the version.")
  static final class VersionCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().getOut().println("kube-observe " + version());
    }
  }
}
