package io.kubeobserve.devstack.prometheus;

import io.kubeobserve.devstack.Ports;
import io.kubeobserve.devstack.process.ChildProcess;
import io.kubeobserve.devstack.process.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Prometheus-family server (Prometheus, Alertmanager) on a random loopback port and waits
 * for {@code /-/ready}; retries with another port when the chosen one was taken meanwhile.
 */
final class GoServer {

  private static final Logger log = LoggerFactory.getLogger(GoServer.class);
  private static final int ATTEMPTS = 3;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** A started server. */
  record Started(ChildProcess process, int port, HttpApi api) {}

  private GoServer() {}

  /** A fresh working directory for a server, deleted by the server's {@code close()}. */
  static Path workingDirectory(String name) {
    try {
      return Files.createTempDirectory("kube-observe-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for " + name, e);
    }
  }

  /**
   * Starts {@code binary} with the arguments for a port, in {@code directory}, logging to {@code
   * <name>.log} there.
   */
  static Started start(
      String name, Path binary, Path directory, IntFunction<List<String>> arguments) {
    Path logFile = directory.resolve(name + ".log");
    for (int attempt = 1; ; attempt++) {
      int port = Ports.freeLoopbackPort();
      List<String> command = new ArrayList<>();
      command.add(binary.toString());
      command.addAll(arguments.apply(port));
      long started = System.nanoTime();
      ChildProcess process = ChildProcess.start(name, command, Map.of(), directory, logFile);
      HttpApi api = new HttpApi("http://127.0.0.1:" + port);
      try {
        process.awaitReady(START_TIMEOUT, () -> api.status("/-/ready") == 200);
        log.info(
            "{} ready at http://127.0.0.1:{} in {} ms (files in {})",
            name,
            port,
            (System.nanoTime() - started) / 1_000_000,
            directory);
        return new Started(process, port, api);
      } catch (RuntimeException e) {
        boolean portTaken = !process.isAlive() && process.logContains("address already in use");
        process.close();
        if (!portTaken || attempt == ATTEMPTS) {
          throw e;
        }
        log.info("{} lost a race for port {}; retrying with another port", name, port);
        FileTrees.deleteQuietly(logFile);
      }
    }
  }
}
