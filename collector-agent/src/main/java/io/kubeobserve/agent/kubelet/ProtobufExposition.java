package io.kubeobserve.agent.kubelet;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_31_1.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decodes the Prometheus protobuf exposition (a stream of length-delimited
 * {@code io.prometheus.client.MetricFamily} messages, {@link #CONTENT_TYPE}) into the same
 * {@link Exposition} the text parser produces, so that one {@link ExpositionMapper} serves both.
 * Decoding uses the generated classes that ship with {@code prometheus-metrics-exposition-formats}.
 *
 * <p>Classic histograms become {@code _bucket} (with {@code le}), {@code _sum} and {@code _count}
 * samples, a {@code +Inf} bucket added from the sample count when the message leaves it implicit;
 * summaries become {@code quantile} samples, {@code _sum} and {@code _count}. Native (sparse)
 * histogram fields and exemplars are not carried. {@link Sample#line()} is the message's position
 * in the stream, from 1.
 */
public final class ProtobufExposition {

  /** The media type the kubelet (and every Go Prometheus client) serves the format under. */
  public static final String CONTENT_TYPE =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

  private ProtobufExposition() {}

  /** Whether a response's {@code Content-Type} is the protobuf exposition. */
  public static boolean isProtobuf(String contentType) {
    return contentType.startsWith("application/vnd.google.protobuf")
        && contentType.contains("io.prometheus.client.MetricFamily");
  }

  /** Decodes a whole body. */
  public static Exposition parse(byte[] body) throws ExpositionFormatException {
    List<MetricFamily> families = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    int index = 0;
    while (in.available() > 0) {
      index++;
      Metrics.MetricFamily family;
      try {
        family = Metrics.MetricFamily.parseDelimitedFrom(in);
      } catch (IOException e) {
        throw new ExpositionFormatException(index, "not a delimited MetricFamily message: " + e.getMessage(), null);
      }
      if (family == null) {
        break;
      }
      families.add(convert(family, index));
    }
    return new Exposition(families);
  }

  private static MetricFamily convert(Metrics.MetricFamily family, int index) throws ExpositionFormatException {
    String name = family.getName();
    if (name.isEmpty()) {
      throw new ExpositionFormatException(index, "a MetricFamily without a name", null);
    }
    MetricType type = switch (family.getType()) {
      case COUNTER -> MetricType.COUNTER;
      case GAUGE -> MetricType.GAUGE;
      case SUMMARY -> MetricType.SUMMARY;
      case HISTOGRAM, GAUGE_HISTOGRAM -> MetricType.HISTOGRAM;
      default -> MetricType.UNTYPED;
    };
    List<Sample> samples = new ArrayList<>();
    for (Metrics.Metric metric : family.getMetricList()) {
      Map<String, String> labels = new LinkedHashMap<>();
      for (Metrics.LabelPair pair : metric.getLabelList()) {
        labels.put(pair.getName(), pair.getValue());
      }
      OptionalLong time = metric.hasTimestampMs() ? OptionalLong.of(metric.getTimestampMs()) : OptionalLong.empty();
      switch (type) {
        case COUNTER -> samples.add(new Sample(name, labels, metric.getCounter().getValue(), time, index));
        case GAUGE -> samples.add(new Sample(name, labels, metric.getGauge().getValue(), time, index));
        case UNTYPED -> samples.add(new Sample(name, labels, metric.getUntyped().getValue(), time, index));
        case SUMMARY -> {
          Metrics.Summary summary = metric.getSummary();
          for (Metrics.Quantile quantile : summary.getQuantileList()) {
            samples.add(new Sample(name, with(labels, "quantile", format(quantile.getQuantile())), quantile.getValue(),
                time, index));
          }
          samples.add(new Sample(name + "_sum", labels, summary.getSampleSum(), time, index));
          samples.add(new Sample(name + "_count", labels, summary.getSampleCount(), time, index));
        }
        case HISTOGRAM -> {
          Metrics.Histogram histogram = metric.getHistogram();
          double count = histogram.hasSampleCountFloat() ? histogram.getSampleCountFloat() : histogram.getSampleCount();
          boolean infinite = false;
          for (Metrics.Bucket bucket : histogram.getBucketList()) {
            infinite |= bucket.getUpperBound() == Double.POSITIVE_INFINITY;
            double cumulative = bucket.hasCumulativeCountFloat() ? bucket.getCumulativeCountFloat()
                : bucket.getCumulativeCount();
            samples.add(new Sample(name + "_bucket", with(labels, "le", format(bucket.getUpperBound())), cumulative,
                time, index));
          }
          if (!infinite) {
            samples.add(new Sample(name + "_bucket", with(labels, "le", "+Inf"), count, time, index));
          }
          samples.add(new Sample(name + "_sum", labels, histogram.getSampleSum(), time, index));
          samples.add(new Sample(name + "_count", labels, count, time, index));
        }
      }
    }
    Optional<String> help = family.hasHelp() ? Optional.of(family.getHelp()) : Optional.empty();
    return new MetricFamily(name, type, help, samples);
  }

  private static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(labels);
    copy.put(name, value);
    return copy;
  }

  /** A bound or quantile as Go's Prometheus client writes it in text ({@code 0.005}, {@code 1}, {@code +Inf}). */
  static String format(double value) {
    if (value == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (value == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
