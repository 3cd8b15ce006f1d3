package io.kubeobserve.router.watch;

import io.kubeobserve.router.support.RouterConfigs;
import io.kubeobserve.router.support.RunningRouter;
import java.util.Arrays;
import java.util.List;

/**
 * A router in its own JVM, so a test can kill it with SIGKILL: args are the bootstrap servers and
 * then {@code --set} values. Prints {@code LEADING} when it leads and {@code COMMITTED <uid>} for
 * each record once its transaction is committed.
 */
public final class WatcherProcessMain {

  private WatcherProcessMain() {}

  public static void main(String[] args) throws Exception {
    RunningRouter router = RunningRouter.start(
        RouterConfigs.load(args[0], Arrays.copyOfRange(args, 1, args.length)), new WatchListener() {
          @Override
          public void leading(String identity) {
            System.out.println("LEADING " + identity);
            System.out.flush();
          }

          @Override
          public void committed(List<String> recordUids) {
            StringBuilder out = new StringBuilder();
            recordUids.forEach(uid -> out.append("COMMITTED ").append(uid).append('\n'));
            System.out.print(out);
            System.out.flush();
          }
        });
    router.runtime().awaitStopped();
  }
}
