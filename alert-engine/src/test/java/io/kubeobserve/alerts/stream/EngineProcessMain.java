package io.kubeobserve.alerts.stream;

import io.kubeobserve.alerts.support.Engine;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An engine in its own JVM, so that a test can kill it with SIGKILL: args are the bootstrap servers,
 * the topic prefix, the state directory, the receiver URL, then {@code --set} values. Prints
 * {@code READY} once started.
 */
public final class EngineProcessMain {

  private EngineProcessMain() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.start(Engine.config(args[0], args[1], Path.of(args[2]), args[3],
        Arrays.copyOfRange(args, 4, args.length)));
    System.out.println("READY");
    System.out.flush();
    engine.runtime().awaitStopped();
  }
}
