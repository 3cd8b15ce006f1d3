package io.kubeobserve.agent.kubelet;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One sample line of a Prometheus text exposition.
 *
 * @param name the sample's name, such as {@code foo_bucket} in histogram family {@code foo}
 * @param labels the labels in the order of the line
 * @param value the value ({@code NaN} and infinities included)
 * @param timestampMillis the line's timestamp in milliseconds since the epoch, when it has one
 * @param line the line number, from 1, for messages
 */
public record Sample(String name, Map<String, String> labels, double value, OptionalLong timestampMillis, int line) {

  public Sample {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }
}
