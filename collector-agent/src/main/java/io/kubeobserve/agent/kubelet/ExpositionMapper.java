package io.kubeobserve.agent.kubelet;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps a parsed Prometheus exposition to one OTLP {@code ExportMetricsServiceRequest}, keeping what
 * a consumer needs to expose it again exactly as the kubelet did:
 *
 * <ul>
 *   <li>metric names and label names verbatim; labels become data point attributes (string values),
 *       in the line's order;
 *   <li>{@code # HELP} becomes the metric's description;
 *   <li>counter → monotonic cumulative sum; gauge → gauge; untyped → gauge with metadata
 *       {@code prometheus.type=unknown}; histogram → cumulative histogram (explicit bounds from
 *       {@code le}, per-bucket counts, count and sum); summary → summary (quantiles, count, sum);
 *   <li>a line's timestamp becomes the point's time; lines without one get the scrape time. Start
 *       times are unknown in this format and left 0;
 *   <li>one resource per scrape with {@code k8s.cluster.name}, {@code k8s.node.name},
 *       {@code kube_observe.scrape.job} and {@code kube_observe.scrape.path} (see
 *       {@link ScrapeOrigin}), and the instrumentation scope {@value #SCOPE}.
 * </ul>
 *
 * <p>Histograms and summaries are checked: a histogram needs a {@code le="+Inf"} bucket,
 * non-decreasing cumulative integer counts and a {@code _count} equal to its {@code +Inf} bucket
 * when given; a summary needs its {@code _count} and {@code _sum}. Otherwise an
 * {@link ExpositionFormatException} names the line.
 */
public final class ExpositionMapper {

  /** The instrumentation scope of metrics relayed from a Prometheus endpoint. */
  public static final String SCOPE = "io.kubeobserve.agent.kubelet.prometheus";
  /** {@code prometheus.type} metadata value of untyped families. */
  public static final String UNKNOWN_TYPE = "unknown";

  private static final long NANOS_PER_MILLI = 1_000_000L;

  private ExpositionMapper() {}

  /**
   * @param exposition what the endpoint served
   * @param origin which endpoint of which node
   * @param scrapeTime when it was scraped: the time of lines without a timestamp
   */
  public static ExportMetricsServiceRequest toOtlp(Exposition exposition, ScrapeOrigin origin, Instant scrapeTime)
      throws ExpositionFormatException {
    try {
      return map(exposition, origin, scrapeTime);
    } finally {
      ATTRIBUTE_CACHE.get().clear();
    }
  }

  private static ExportMetricsServiceRequest map(Exposition exposition, ScrapeOrigin origin, Instant scrapeTime)
      throws ExpositionFormatException {
    long scrapeNanos = scrapeTime.getEpochSecond() * 1_000_000_000L + scrapeTime.getNano();
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName(SCOPE));
    for (MetricFamily family : exposition.families()) {
      if (family.samples().isEmpty()) {
        continue;
      }
      Metric.Builder metric = Metric.newBuilder().setName(family.name()).setDescription(family.help().orElse(""));
      switch (family.type()) {
        case COUNTER -> metric.setSum(Sum.newBuilder()
            .setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addAllDataPoints(numberPoints(family, scrapeNanos)));
        case GAUGE -> metric.setGauge(Gauge.newBuilder().addAllDataPoints(numberPoints(family, scrapeNanos)));
        case UNTYPED -> metric.setGauge(Gauge.newBuilder().addAllDataPoints(numberPoints(family, scrapeNanos)))
            .addMetadata(OtlpValues.string(Attributes.PROMETHEUS_TYPE, UNKNOWN_TYPE));
        case HISTOGRAM -> metric.setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addAllDataPoints(histogramPoints(family, scrapeNanos)));
        case SUMMARY -> metric.setSummary(Summary.newBuilder().addAllDataPoints(summaryPoints(family, scrapeNanos)));
      }
      scope.addMetrics(metric);
    }
    Resource resource = Resource.newBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_CLUSTER_NAME, origin.clusterName()))
        .addAttributes(OtlpValues.string(Attributes.K8S_NODE_NAME, origin.nodeName()))
        .addAttributes(OtlpValues.string(Attributes.KUBE_OBSERVE_SCRAPE_JOB, origin.job()))
        .addAttributes(OtlpValues.string(Attributes.KUBE_OBSERVE_SCRAPE_PATH, origin.metricsPath()))
        .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource).addScopeMetrics(scope))
        .build();
  }

  private static List<NumberDataPoint> numberPoints(MetricFamily family, long scrapeNanos) {
    List<NumberDataPoint> points = new ArrayList<>(family.samples().size());
    for (Sample sample : family.samples()) {
      points.add(NumberDataPoint.newBuilder()
          .addAllAttributes(attributes(sample.labels()))
          .setTimeUnixNano(timeNanos(sample, scrapeNanos))
          .setAsDouble(sample.value())
          .build());
    }
    return points;
  }

  private static List<HistogramDataPoint> histogramPoints(MetricFamily family, long scrapeNanos)
      throws ExpositionFormatException {
    List<HistogramDataPoint> points = new ArrayList<>();
    for (Group group : group(family, "le").values()) {
      TreeMap<Double, Sample> buckets = new TreeMap<>();
      for (Sample bucket : group.members) {
        double bound = ExpositionParser.parseValue(bucket.labels().get("le"));
        if (buckets.put(bound, bucket) != null) {
          throw new ExpositionFormatException(bucket.line(), "second bucket le=\"" + bucket.labels().get("le")
              + "\" of histogram " + family.name() + group.labels, null);
        }
      }
      if (!buckets.containsKey(Double.POSITIVE_INFINITY)) {
        throw new ExpositionFormatException(group.firstLine, "histogram " + family.name() + group.labels
            + " has no le=\"+Inf\" bucket", null);
      }
      HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder()
          .addAllAttributes(attributes(group.labels))
          .setTimeUnixNano(group.timeNanos(scrapeNanos));
      long previous = 0;
      for (Map.Entry<Double, Sample> bucket : buckets.entrySet()) {
        long cumulative = count(bucket.getValue(), "bucket count of histogram " + family.name());
        if (cumulative < previous) {
          throw new ExpositionFormatException(bucket.getValue().line(), "bucket counts of histogram " + family.name()
              + group.labels + " decrease (cumulative counts must not)", null);
        }
        if (!bucket.getKey().isInfinite()) {
          point.addExplicitBounds(bucket.getKey());
        }
        point.addBucketCounts(cumulative - previous);
        previous = cumulative;
      }
      point.setCount(previous);
      if (group.count != null) {
        long count = count(group.count, "_count of histogram " + family.name());
        if (count != previous) {
          throw new ExpositionFormatException(group.count.line(), "_count " + count + " of histogram " + family.name()
              + group.labels + " differs from its +Inf bucket " + previous, null);
        }
      }
      if (group.sum != null) {
        point.setSum(group.sum.value());
      }
      points.add(point.build());
    }
    return points;
  }

  private static List<SummaryDataPoint> summaryPoints(MetricFamily family, long scrapeNanos)
      throws ExpositionFormatException {
    List<SummaryDataPoint> points = new ArrayList<>();
    for (Group group : group(family, "quantile").values()) {
      if (group.count == null || group.sum == null) {
        throw new ExpositionFormatException(group.firstLine, "summary " + family.name() + group.labels + " lacks its "
            + (group.count == null ? "_count" : "_sum"), null);
      }
      SummaryDataPoint.Builder point = SummaryDataPoint.newBuilder()
          .addAllAttributes(attributes(group.labels))
          .setTimeUnixNano(group.timeNanos(scrapeNanos))
          .setCount(count(group.count, "_count of summary " + family.name()))
          .setSum(group.sum.value());
      TreeMap<Double, Sample> quantiles = new TreeMap<>();
      for (Sample quantile : group.members) {
        double q = ExpositionParser.parseValue(quantile.labels().get("quantile"));
        if (quantiles.put(q, quantile) != null) {
          throw new ExpositionFormatException(quantile.line(), "second quantile=\"" + quantile.labels().get("quantile")
              + "\" of summary " + family.name() + group.labels, null);
        }
      }
      quantiles.forEach((q, sample) -> point.addQuantileValues(
          SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q).setValue(sample.value())));
      points.add(point.build());
    }
    return points;
  }

  /** A histogram's or summary's lines of one label set: the members (buckets, quantiles), count and sum. */
  private static final class Group {
    final Map<String, String> labels;
    final int firstLine;
    final List<Sample> members = new ArrayList<>();
    Sample count;
    Sample sum;
    long maxTimestamp = Long.MIN_VALUE;

    Group(Map<String, String> labels, int firstLine) {
      this.labels = labels;
      this.firstLine = firstLine;
    }

    long timeNanos(long scrapeNanos) {
      return maxTimestamp == Long.MIN_VALUE ? scrapeNanos : maxTimestamp * NANOS_PER_MILLI;
    }
  }

  /** Groups a histogram's or summary's lines by their labels without {@code memberLabel}. */
  private static Map<Map<String, String>, Group> group(MetricFamily family, String memberLabel)
      throws ExpositionFormatException {
    Map<Map<String, String>, Group> groups = new LinkedHashMap<>();
    for (Sample sample : family.samples()) {
      boolean isCount = sample.name().equals(family.name() + "_count");
      boolean isSum = sample.name().equals(family.name() + "_sum");
      Map<String, String> labels = new LinkedHashMap<>(sample.labels());
      if (!isCount && !isSum) {
        labels.remove(memberLabel);
      }
      Group group = groups.computeIfAbsent(labels, l -> new Group(l, sample.line()));
      if (isCount) {
        group.count = sample;
      } else if (isSum) {
        group.sum = sample;
      } else {
        group.members.add(sample);
      }
      if (sample.timestampMillis().isPresent()) {
        group.maxTimestamp = Math.max(group.maxTimestamp, sample.timestampMillis().getAsLong());
      }
    }
    return groups;
  }

  private static long count(Sample sample, String what) throws ExpositionFormatException {
    double value = sample.value();
    if (!(value >= 0) || value != Math.rint(value) || value >= 0x1p63) {
      throw new ExpositionFormatException(sample.line(), what + " is not a non-negative integer: " + value, null);
    }
    return (long) value;
  }

  private static long timeNanos(Sample sample, long scrapeNanos) {
    return sample.timestampMillis().isPresent() ? sample.timestampMillis().getAsLong() * NANOS_PER_MILLI : scrapeNanos;
  }

  private static List<KeyValue> attributes(Map<String, String> labels) {
    Map<String, Map<String, KeyValue>> cache = ATTRIBUTE_CACHE.get();
    List<KeyValue> attributes = new ArrayList<>(labels.size());
    labels.forEach((name, value) -> attributes.add(cache.computeIfAbsent(name, n -> new java.util.HashMap<>())
        .computeIfAbsent(value, v -> OtlpValues.string(name, v))));
    return attributes;
  }

  /**
   * Label pairs repeat across the families of a scrape (every cAdvisor family names the same
   * containers): one immutable {@code KeyValue} per pair and scrape, whose serialized size
   * protobuf then computes once. Set for the duration of one {@link #toOtlp} call.
   */
  private static final ThreadLocal<Map<String, Map<String, KeyValue>>> ATTRIBUTE_CACHE =
      ThreadLocal.withInitial(java.util.HashMap::new);
}
