package io.kubeobserve.alerts.notify;

import io.kubeobserve.alerts.notify.Notification.Labels;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Notifications for tests: an ordinary OOM kill, and one full of hostile and oversized text. */
final class TestNotifications {

  /** Every way cluster text could mention people, inject links or markup. */
  static final String HOSTILE = "<!channel> <!here> @everyone @here @channel @all <@123> <users/all> "
      + "[x](http://evil) <http://evil|click> *bold* _it_ ~strike~ `code` ```fence``` |spoiler|| > quote # head &amp;";

  static final Instant STARTED = Instant.parse("2026-11-22T05:40:00Z");

  private TestNotifications() {}

  static Notification oomKill(Notification.Kind kind) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.ALERTNAME, "OOMKilled");
    labels.put(Labels.SEVERITY, "critical");
    labels.put(Labels.CLUSTER, "prod-eu");
    labels.put(Labels.NODE, "node-1");
    labels.put(Labels.NAMESPACE, "shop");
    labels.put(Labels.WORKLOAD, "cart");
    labels.put(Labels.POD, "cart-7d9f-x2k4q");
    labels.put(Labels.CONTAINER, "cart");
    Map<String, String> details = new LinkedHashMap<>();
    details.put("Exit code", "137");
    details.put("Memory limit", "512Mi");
    details.put("Memory usage", "511Mi");
    boolean resolved = kind == Notification.Kind.RESOLVED;
    return new Notification("oom-3f2a9c", kind, "OOMKilled", Notification.Severity.CRITICAL,
        "OOMKilled: shop/cart-7d9f-x2k4q/cart",
        "Container cart was killed by the kernel for using more than its 512Mi memory limit (exit code 137).",
        labels, details, STARTED, resolved ? Optional.of(STARTED.plusSeconds(600)) : Optional.empty(),
        List.of(), List.of("starting cart service", "loading catalogue", "java.lang.OutOfMemoryError: Java heap space"),
        List.of(new Notification.Link("Logs", URI.create("https://kibana.example.com/app/discover#/?q=pod:cart")),
            new Notification.Link("Dashboard", URI.create("https://grafana.example.com/d/k8s-pod?var-pod=cart"))));
  }

  /** An incident whose every text is hostile: 40 labels and details, 40 members, a 1 MB log line. */
  static Notification hostile() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.ALERTNAME, "PodEvicted");
    labels.put(Labels.SEVERITY, "warning");
    labels.put(Labels.NAMESPACE, HOSTILE);
    labels.put(Labels.POD, "pod-" + HOSTILE);
    Map<String, String> details = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      details.put("Detail " + i + " " + HOSTILE, HOSTILE.repeat(20));
    }
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      members.add("member-" + i + " " + HOSTILE);
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      lines.add("line " + i + " " + HOSTILE);
    }
    lines.add(megabyteLine());
    return new Notification("evict-" + HOSTILE, Notification.Kind.FIRING, "PodEvicted", Notification.Severity.WARNING,
        "Evicted: " + HOSTILE + " \uD83D\uDD25".repeat(100), HOSTILE.repeat(200), labels, details, STARTED,
        Optional.empty(), members, lines,
        List.of(new Notification.Link("Logs " + HOSTILE, URI.create("https://kibana.example.com/app/discover#/?q=x"))));
  }

  /** A 1 MiB log line of hostile text and astral code points, the worst case for escaping. */
  static String megabyteLine() {
    StringBuilder line = new StringBuilder(1 << 20);
    while (line.length() < (1 << 20)) {
      line.append(HOSTILE).append("\uD83D\uDE00");
    }
    return line.toString();
  }
}
