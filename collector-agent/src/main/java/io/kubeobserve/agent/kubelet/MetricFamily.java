package io.kubeobserve.agent.kubelet;

import java.util.List;
import java.util.Optional;

/**
 * The lines of one metric family, in exposition order.
 *
 * @param name the family name: the name of its {@code # TYPE} line, or of its samples when untyped
 * @param type its type; {@link MetricType#UNTYPED} without a {@code # TYPE} line
 * @param help its {@code # HELP} text, unescaped
 * @param samples its sample lines; may be empty when only {@code # HELP}/{@code # TYPE} were given
 */
public record MetricFamily(String name, MetricType type, Optional<String> help, List<Sample> samples) {

  public MetricFamily {
    samples = List.copyOf(samples);
  }
}
