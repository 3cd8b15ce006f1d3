package io.kubeobserve.bench.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's CPU time and allocations went, from a JFR recording: of the {@code
 * jdk.ExecutionSample} events, the methods on top of the sampled stacks (self time), the
 * kube-observe methods nearest to the top (the agent's code that did or called the work), and the
 * same by package; of the {@code jdk.ObjectAllocationSample} events, weighted by their {@code
 * weight} (the bytes allocated since the previous sample of the thread), the classes allocated, the
 * allocating frames and the nearest kube-observe frames; and the garbage collections by name, with
 * their pause time, and the heap used after them ({@code jdk.GCHeapSummary}): what stayed live.
 */
final class JfrProfile {

  private JfrProfile() {}

  /** A text table of the top {@code n} entries of each view. */
  static String summarize(Path recording, int n) throws IOException {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> ownCode = new HashMap<>();
    Map<String, Long> packages = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    Map<String, Long> allocatedClasses = new HashMap<>();
    Map<String, Long> allocatingFrames = new HashMap<>();
    Map<String, Long> allocatingOwnCode = new HashMap<>();
    Map<String, Long> collections = new HashMap<>();
    Map<String, Long> pauses = new HashMap<>();
    List<Long> usedAfter = new ArrayList<>();
    long samples = 0;
    long allocated = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      String type = event.getEventType().getName();
      if (type.equals("jdk.GCHeapSummary")) {
        if (event.getString("when").equals("After GC")) {
          usedAfter.add(event.getLong("heapUsed"));
        }
        continue;
      }
      if (type.equals("jdk.GarbageCollection")) {
        collections.merge(event.getString("name"), 1L, Long::sum);
        pauses.merge(event.getString("name"), event.getDuration("sumOfPauses").toNanos(), Long::sum);
        continue;
      }
      boolean execution = type.equals("jdk.ExecutionSample");
      if ((!execution && !type.equals("jdk.ObjectAllocationSample")) || event.getStackTrace() == null
          || event.getStackTrace().getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      RecordedFrame top = frames.get(0);
      RecordedFrame own = frames.stream().filter(f -> f.getMethod().getType().getName().startsWith("io.kubeobserve"))
          .findFirst().orElse(null);
      if (execution) {
        samples++;
        self.merge(method(top), 1L, Long::sum);
        packages.merge(packageOf(top), 1L, Long::sum);
        threads.merge(event.getThread("sampledThread") == null ? "?"
            : threadGroup(event.getThread("sampledThread").getJavaName()), 1L, Long::sum);
        if (own != null) {
          ownCode.merge(method(own), 1L, Long::sum);
        }
      } else {
        long weight = event.getLong("weight");
        allocated += weight;
        allocatedClasses.merge(event.getClass("objectClass").getName(), weight, Long::sum);
        allocatingFrames.merge(method(top), weight, Long::sum);
        if (own != null) {
          allocatingOwnCode.merge(method(own), weight, Long::sum);
        }
      }
    }
    StringBuilder text = new StringBuilder(samples + " execution samples\n");
    append(text, "threads", threads, samples, n);
    append(text, "top frame (self), by package", packages, samples, n);
    append(text, "top frame (self), by method", self, samples, n);
    append(text, "nearest kube-observe frame", ownCode, samples, n);
    text.append(String.format("%nallocations (jdk.ObjectAllocationSample, by weight): %,d MB in all%n", allocated >> 20));
    append(text, "allocated class", allocatedClasses, allocated, n);
    append(text, "allocating frame", allocatingFrames, allocated, n);
    append(text, "nearest kube-observe frame, allocating", allocatingOwnCode, allocated, n);
    text.append("\ngarbage collections:\n");
    collections.forEach((name, count) -> text.append(String.format("  %5d  %s, %.1f s of pauses%n", count, name,
        Duration.ofNanos(pauses.get(name)).toMillis() / 1e3)));
    Collections.sort(usedAfter);
    if (!usedAfter.isEmpty()) {
      text.append(String.format("heap used after a collection: median %.1f MiB, max %.1f MiB%n",
          usedAfter.get(usedAfter.size() / 2) / 1048576.0, usedAfter.get(usedAfter.size() - 1) / 1048576.0));
    }
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

  private static void append(StringBuilder text, String title, Map<String, Long> counts, long total, int n) {
    text.append("\n").append(title).append(":\n");
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
        .forEach(e -> text.append(String.format("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey())));
  }
}
