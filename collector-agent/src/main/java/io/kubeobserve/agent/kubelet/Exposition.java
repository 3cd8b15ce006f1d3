package io.kubeobserve.agent.kubelet;

import java.util.List;

/** A parsed Prometheus text exposition: its metric families in the order they appear. */
public record Exposition(List<MetricFamily> families) {

  public Exposition {
    families = List.copyOf(families);
  }

  /** The number of sample lines. */
  public int sampleCount() {
    int count = 0;
    for (MetricFamily family : families) {
      count += family.samples().size();
    }
    return count;
  }
}
