package io.kubeobserve.agent.proof;

import io.kubeobserve.devstack.Ports;
import io.kubeobserve.devstack.process.ChildProcess;
import io.kubeobserve.devstack.process.FileTrees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent in a JVM of its own ({@link AgentMain} on this JVM's class path), as a node runs it:
 * started with {@code --set} settings, killed with SIGKILL or stopped with SIGTERM, restarted with
 * the same settings, observed through its ops endpoint and {@code /proc}.
 */
final class AgentProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AgentProcess.class);
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");

  private static String classPath;

  private final List<String> jvmOptions;
  private final Path logDirectory;
  private final int opsPort = Ports.freeLoopbackPort();
  private final List<String> settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ChildProcess process;
  private int starts;

  private AgentProcess(List<String> jvmOptions, List<String> settings, Path logDirectory) {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.settings = new ArrayList<>(settings);
    this.settings.add("ops.port=" + opsPort);
    this.settings.add("ops.address=127.0.0.1");
    this.logDirectory = logDirectory;
  }

  /** Starts an agent and waits until its ops endpoint answers. */
  static AgentProcess start(List<String> jvmOptions, List<String> settings, Path logDirectory) {
    AgentProcess agent = new AgentProcess(jvmOptions, settings, logDirectory);
    agent.restart();
    return agent;
  }

  /** Starts the agent again (after {@link #kill()}) with the same settings; waits until it serves. */
  void restart() {
    starts++;
    Path logFile = logDirectory.resolve("agent-" + starts + ".log");
    List<String> command = new ArrayList<>(List.of(javaExecutable()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classPath(), AgentMain.class.getName()));
    settings.forEach(setting -> command.addAll(List.of("--set", setting)));
    process = ChildProcess.start("agent", command, Map.of(), logDirectory, logFile);
    process.awaitReady(Duration.ofSeconds(60), () -> get("/healthz").statusCode() == 200);
    LOG.info("agent started (pid {}, ops port {}, log {})", process.pid(), opsPort, logFile);
  }

  /** SIGKILL: the process ends at once, nothing is flushed or closed. */
  void kill() throws InterruptedException {
    ProcessHandle handle = ProcessHandle.of(process.pid()).orElseThrow();
    handle.destroyForcibly();
    try {
      handle.onExit().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("agent pid " + process.pid() + " survived SIGKILL", e);
    }
    process.close();
  }

  /** Resident set size now, from {@code /proc/<pid>/status} (VmRSS). */
  long rssBytes() {
    return procStatusBytes("VmRSS");
  }

  /** Peak resident set size of this process, from {@code /proc/<pid>/status} (VmHWM). */
  long peakRssBytes() {
    return procStatusBytes("VmHWM");
  }

  private long procStatusBytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]) * 1024;
        }
      }
      throw new IllegalStateException(field + " not in /proc/" + process.pid() + "/status");
    } catch (IOException e) {
      throw new IllegalStateException("agent pid " + process.pid() + " is gone", e);
    }
  }

  /** The agent's {@code /metrics}: every sample name with the sum of its series' values. */
  Map<String, Double> meters() throws IOException, InterruptedException {
    HttpResponse<String> response = get("/metrics");
    if (response.statusCode() != 200) {
      throw new IllegalStateException("/metrics answered " + response.statusCode());
    }
    Map<String, Double> meters = new LinkedHashMap<>();
    for (String line : response.body().split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (sample.find()) {
        meters.merge(sample.group(1), Double.parseDouble(sample.group(3)), Double::sum);
      }
    }
    return meters;
  }

  /** The sum of the samples whose name contains every one of {@code fragments}; 0 when none does. */
  static double meter(Map<String, Double> meters, String... fragments) {
    return meters.entrySet().stream()
        .filter(e -> List.of(fragments).stream().allMatch(e.getKey()::contains))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  /** {@code /readyz}'s status code. */
  int readyStatus() throws IOException, InterruptedException {
    return get("/readyz").statusCode();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * This JVM's class path with its directories (the module's {@code target/classes} and {@code
   * target/test-classes}) copied once: a build of the module running meanwhile may delete them
   * while an agent is still to be restarted.
   */
  private static synchronized String classPath() {
    if (classPath == null) {
      try {
        Path snapshot = Files.createTempDirectory("agent-classpath-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileTrees.deleteQuietly(snapshot)));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
          Path path = Path.of(entry);
          if (Files.isDirectory(path)) {
            Path copy = snapshot.resolve(Integer.toString(n++));
            copyTree(path, copy);
            entries.add(copy.toString());
          } else {
            entries.add(entry);
          }
        }
        classPath = String.join(File.pathSeparator, entries);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot copy the class path", e);
      }
    }
    return classPath;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** SIGTERM, then SIGKILL if it does not stop; safe twice. Logs the end of the agent's output. */
  @Override
  public void close() {
    if (process != null) {
      process.close();
      LOG.info("the end of {}:\n{}", process.logFile(), process.tail(15));
    }
  }

  @Override
  public String toString() {
    return "agent (pid " + (process == null ? "-" : process.pid()) + ", ops port " + opsPort + ")";
  }
}
