package io.kubeobserve.bench.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's CPU time went, from the {@code jdk.ExecutionSample} events of a JFR recording:
 * the methods on top of the sampled stacks (self time), the kube-observe methods nearest to the
 * top (the agent's code that did or called the work), and the same by package.
 */
final class JfrProfile {

  private JfrProfile() {}

  /** A text table of the top {@code n} entries of each view. */
  static String summarize(Path recording, int n) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> ownCode = new HashMap<>();
    Map<String, Integer> packages = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      samples++;
      RecordedFrame top = frames.get(0);
      self.merge(method(top), 1, Integer::sum);
      packages.merge(packageOf(top), 1, Integer::sum);
      threads.merge(event.getThread("sampledThread") == null ? "?" : threadGroup(event.getThread("sampledThread").getJavaName()), 1, Integer::sum);
      frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("io.kubeobserve")).findFirst()
          .ifPresent(f -> ownCode.merge(method(f), 1, Integer::sum));
    }
    StringBuilder text = new StringBuilder(samples + " execution samples\n");
    append(text, "threads", threads, samples, n);
    append(text, "top frame (self), by package", packages, samples, n);
    append(text, "top frame (self), by method", self, samples, n);
    append(text, "nearest kube-observe frame", ownCode, samples, n);
    return text.toString();
  }

  private static String method(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static String packageOf(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(0, dot);
  }

  /** Thread names without their numbers, so pools count as one. */
  private static String threadGroup(String name) {
    return name == null ? "?" : name.replaceAll("\\d+", "N");
  }

  private static void append(StringBuilder text, String title, Map<String, Integer> counts, int total, int n) {
    text.append("\n").append(title).append(":\n");
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
        .forEach(e -> text.append(String.format("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey())));
  }
}
