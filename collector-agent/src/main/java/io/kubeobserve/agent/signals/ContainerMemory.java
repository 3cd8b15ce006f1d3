package io.kubeobserve.agent.signals;

import io.kubeobserve.agent.kubelet.KubeletScraper.Scrape;
import io.kubeobserve.agent.kubelet.StatsSummaryMapper;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The working sets the kubelet reported for the node's containers over the last {@code window},
 * taken from the agent's own {@code /stats/summary} scrapes, so that a terminated signal can say how
 * close to its limit a container was before it ended (an OOM kill: the last working set and the
 * peak). Samples of a container that no scrape reported for a window are forgotten; without
 * {@code /stats/summary} among the scraped endpoints nothing is known.
 */
public final class ContainerMemory {

  /** What is known of a container instance's memory before it ended. */
  public record Usage(long lastBytes, Instant lastTime, long peakBytes) {}

  private record Sample(Instant time, long bytes) {}

  private static final String WORKING_SET = "container.memory.working_set";

  private final Duration window;
  private final Map<String, Deque<Sample>> samples = new HashMap<>();

  public ContainerMemory(Duration window) {
    this.window = window;
  }

  /** Takes the container working sets of a {@code /stats/summary} scrape (other scrapes have none). */
  public void record(Scrape scrape) {
    for (ExportMetricsServiceRequest request : scrape.records()) {
      for (ResourceMetrics resource : request.getResourceMetricsList()) {
        List<KeyValue> attributes = resource.getResource().getAttributesList();
        Optional<String> podUid = OtlpValues.stringAttribute(attributes, Attributes.K8S_POD_UID);
        Optional<String> container = OtlpValues.stringAttribute(attributes, Attributes.K8S_CONTAINER_NAME);
        if (podUid.isEmpty() || container.isEmpty()) {
          continue;
        }
        for (ScopeMetrics scope : resource.getScopeMetricsList()) {
          if (!scope.getScope().getName().equals(StatsSummaryMapper.SCOPE)) {
            continue;
          }
          for (Metric metric : scope.getMetricsList()) {
            if (metric.getName().equals(WORKING_SET)) {
              for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
                record(podUid.get(), container.get(),
                    Instant.ofEpochSecond(0, point.getTimeUnixNano()), point.getAsInt());
              }
            }
          }
        }
      }
    }
  }

  /** Takes one working set; a sample no newer than the container's last is a repeat and left out. */
  public synchronized void record(String podUid, String container, Instant time, long bytes) {
    Deque<Sample> kept = samples.computeIfAbsent(key(podUid, container), k -> new ArrayDeque<>());
    if (!kept.isEmpty() && !time.isAfter(kept.peekLast().time())) {
      return;
    }
    kept.addLast(new Sample(time, bytes));
    Instant oldest = time.minus(window);
    while (kept.peekFirst().time().isBefore(oldest)) {
      kept.removeFirst();
    }
    samples.values().removeIf(other -> other.peekLast().time().isBefore(oldest));
  }

  /**
   * The last working set and the peak of a container instance between {@code started} and
   * {@code finished} (either unknown: not bounded on that side), empty when no sample falls there.
   */
  public synchronized Optional<Usage> between(String podUid, String container, Optional<Instant> started,
      Optional<Instant> finished) {
    Deque<Sample> kept = samples.get(key(podUid, container));
    if (kept == null) {
      return Optional.empty();
    }
    Sample last = null;
    long peak = 0;
    for (Sample sample : kept) {
      boolean inside = started.map(s -> !sample.time().isBefore(s)).orElse(true)
          && finished.map(f -> !sample.time().isAfter(f)).orElse(true);
      if (inside) {
        last = sample;
        peak = Math.max(peak, sample.bytes());
      }
    }
    return last == null ? Optional.empty() : Optional.of(new Usage(last.bytes(), last.time(), peak));
  }

  private static String key(String podUid, String container) {
    return podUid + "/" + container;
  }
}
