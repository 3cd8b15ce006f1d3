package io.kubeobserve.adapter.store;

import io.kubeobserve.adapter.translate.FamilyType;
import io.kubeobserve.adapter.translate.MetricTranslation;
import io.kubeobserve.adapter.translate.PrometheusNames;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.RecordDecodeException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
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
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one OTLP {@code ExportMetricsServiceRequest} straight from its protobuf bytes into store
 * updates, without building protobuf messages on the hot path.
 *
 * <p>A series is found by the 128-bit hash of its family, its resource's labels and the encoded
 * bytes of the data point's attributes; only a series not seen before has its attributes decoded
 * into labels. The record's updates are staged and applied together once the whole record has
 * decoded, so a malformed record changes nothing. Runs on the consumer thread under the store's
 * write lock.
 */
final class OtlpIngester {

  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final int CUMULATIVE = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE_VALUE;
  private static final int NO_RECORDED_VALUE = DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;
  private static final byte[] PROMETHEUS_TYPE = Attributes.PROMETHEUS_TYPE.getBytes(StandardCharsets.UTF_8);
  private static final byte[] UNKNOWN = "unknown".getBytes(StandardCharsets.UTF_8);

  private final SeriesStore store;
  private final WireReader in = new WireReader();
  private final WireReader slow = new WireReader();
  private final Hash128 hash = new Hash128();
  private final Key128 probe = new Key128();

  // the attributes of the current data point: [start, end) of each field, tag included
  private int[] segmentStart = new int[32];
  private int[] segmentEnd = new int[32];
  private int segments;
  private byte[] scratch = new byte[1024];

  // staged updates of the current record
  private Series[] stagedSeries = new Series[256];
  private double[] stagedValue = new double[256];
  private Object[] stagedComplex = new Object[256];
  private long[] stagedStart = new long[256];
  private long[] stagedTime = new long[256];
  private boolean[] stagedEnd = new boolean[256];
  private int staged;
  private final List<Series> created = new ArrayList<>();

  private byte[] buf;
  private int partition;
  private long seenMillis;
  private int samples;
  private final int[] rejected = new int[RejectReason.values().length];

  OtlpIngester(SeriesStore store) {
    this.store = store;
  }

  SeriesStore.Outcome ingest(byte[] value, int partition, long seenMillis, boolean replay) throws RecordDecodeException {
    this.buf = value;
    this.partition = partition;
    this.seenMillis = seenMillis;
    staged = 0;
    samples = 0;
    Arrays.fill(rejected, 0);
    created.clear();
    try {
      in.reset(value, 0, value.length);
      while (in.hasRemaining()) {
        int tag = in.readTag();
        if (tag >>> 3 == ExportMetricsServiceRequest.RESOURCE_METRICS_FIELD_NUMBER) {
          WireReader.expect(tag, WireReader.LEN);
          int end = in.readLengthEnd();
          resourceMetrics(in.pos, end);
          in.reset(value, end, value.length);
        } else {
          in.skip(tag & 7);
        }
      }
    } catch (WireReader.MalformedException | IllegalArgumentException e) {
      rollback();
      throw new RecordDecodeException("not an OTLP ExportMetricsServiceRequest: " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      rollback();
      throw e;
    } finally {
      buf = null;
    }
    int stored = apply(replay);
    int rejectedTotal = 0;
    for (RejectReason reason : RejectReason.values()) {
      if (rejected[reason.ordinal()] > 0) {
        store.meters.samplesRejected.get(reason).increment(rejected[reason.ordinal()]);
        rejectedTotal += rejected[reason.ordinal()];
      }
    }
    store.meters.samplesIn.increment(samples);
    return new SeriesStore.Outcome(samples, stored, rejectedTotal);
  }

  /** Forgets the series this record created and its staged samples. */
  private void rollback() {
    for (Series series : created) {
      store.discard(series);
    }
    created.clear();
    Arrays.fill(stagedSeries, 0, staged, null);
    Arrays.fill(stagedComplex, 0, staged, null);
    staged = 0;
  }

  // ---- structure ----

  private void resourceMetrics(int start, int end) {
    int resourceStart = -1;
    int resourceEnd = -1;
    int[] scopes = new int[8];
    int scopeCount = 0;
    in.reset(buf, start, end);
    while (in.hasRemaining()) {
      int tag = in.readTag();
      switch (tag >>> 3) {
        case ResourceMetrics.RESOURCE_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          resourceEnd = in.readLengthEnd();
          resourceStart = in.pos;
          in.pos = resourceEnd;
        }
        case ResourceMetrics.SCOPE_METRICS_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          int scopeEnd = in.readLengthEnd();
          if (scopeCount + 2 > scopes.length) {
            scopes = Arrays.copyOf(scopes, scopes.length * 2);
          }
          scopes[scopeCount++] = in.pos;
          scopes[scopeCount++] = scopeEnd;
          in.pos = scopeEnd;
        }
        default -> in.skip(tag & 7);
      }
    }
    ResourceContext context = context(resourceStart, resourceEnd);
    for (int i = 0; i < scopeCount; i += 2) {
      scopeMetrics(context, scopes[i], scopes[i + 1]);
    }
  }

  private ResourceContext context(int start, int end) {
    int from = start < 0 ? 0 : start;
    int length = start < 0 ? 0 : end - start;
    hash.hash(buf, from, length, 0x5eed_0001L, 0x5eed_0002L);
    probe.set(hash.hi, hash.lo);
    ResourceContext context = store.resourceCache.get(probe);
    if (context == null) {
      Resource resource;
      try {
        resource = length == 0 ? Resource.getDefaultInstance() : Resource.parseFrom(
            java.nio.ByteBuffer.wrap(buf, from, length));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new WireReader.MalformedException("invalid resource: " + e.getMessage());
      }
      context = ResourceContext.of(resource, store.settings.clusterLabel(), hash.hi, hash.lo);
      store.resourceCache.put(probe.copy(), context);
    }
    return context;
  }

  private void scopeMetrics(ResourceContext context, int start, int end) {
    int pos = start;
    while (pos < end) {
      in.reset(buf, pos, end);
      int tag = in.readTag();
      if (tag >>> 3 == ScopeMetrics.METRICS_FIELD_NUMBER) {
        WireReader.expect(tag, WireReader.LEN);
        int metricEnd = in.readLengthEnd();
        metric(context, in.pos, metricEnd);
        pos = metricEnd;
      } else {
        in.skip(tag & 7);
        pos = in.pos;
      }
    }
  }

  private void metric(ResourceContext context, int start, int end) {
    int nameStart = start;
    int nameEnd = start;
    int unitStart = start;
    int unitEnd = start;
    int descriptionStart = start;
    int descriptionEnd = start;
    int dataStart = -1;
    int dataEnd = -1;
    MetricTranslation.DataKind kind = MetricTranslation.DataKind.NONE;
    boolean unknownType = false;
    in.reset(buf, start, end);
    while (in.hasRemaining()) {
      int tag = in.readTag();
      int field = tag >>> 3;
      switch (field) {
        case Metric.NAME_FIELD_NUMBER, Metric.UNIT_FIELD_NUMBER, Metric.DESCRIPTION_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          int fieldEnd = in.readLengthEnd();
          if (field == Metric.NAME_FIELD_NUMBER) {
            nameStart = in.pos;
            nameEnd = fieldEnd;
          } else if (field == Metric.UNIT_FIELD_NUMBER) {
            unitStart = in.pos;
            unitEnd = fieldEnd;
          } else {
            descriptionStart = in.pos;
            descriptionEnd = fieldEnd;
          }
          in.pos = fieldEnd;
        }
        case Metric.GAUGE_FIELD_NUMBER, Metric.SUM_FIELD_NUMBER, Metric.HISTOGRAM_FIELD_NUMBER,
            Metric.EXPONENTIAL_HISTOGRAM_FIELD_NUMBER, Metric.SUMMARY_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          dataEnd = in.readLengthEnd();
          dataStart = in.pos;
          in.pos = dataEnd;
          kind = switch (field) {
            case Metric.GAUGE_FIELD_NUMBER -> MetricTranslation.DataKind.GAUGE;
            case Metric.SUM_FIELD_NUMBER -> MetricTranslation.DataKind.SUM;
            case Metric.HISTOGRAM_FIELD_NUMBER -> MetricTranslation.DataKind.HISTOGRAM;
            case Metric.EXPONENTIAL_HISTOGRAM_FIELD_NUMBER -> MetricTranslation.DataKind.EXPONENTIAL_HISTOGRAM;
            default -> MetricTranslation.DataKind.SUMMARY;
          };
        }
        case Metric.METADATA_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          int fieldEnd = in.readLengthEnd();
          unknownType |= isUnknownTypeMetadata(in.pos, fieldEnd);
          in.pos = fieldEnd;
        }
        default -> in.skip(tag & 7);
      }
    }
    // Sum and Histogram: temporality (and monotonicity) follow the data points in the encoding
    boolean monotonic = false;
    boolean cumulative = false;
    if (kind == MetricTranslation.DataKind.SUM || kind == MetricTranslation.DataKind.HISTOGRAM) {
      in.reset(buf, dataStart, dataEnd);
      while (in.hasRemaining()) {
        int tag = in.readTag();
        int field = tag >>> 3;
        if (field == Sum.AGGREGATION_TEMPORALITY_FIELD_NUMBER) {
          WireReader.expect(tag, WireReader.VARINT);
          cumulative = in.readVarint() == CUMULATIVE;
        } else if (kind == MetricTranslation.DataKind.SUM && field == Sum.IS_MONOTONIC_FIELD_NUMBER) {
          WireReader.expect(tag, WireReader.VARINT);
          monotonic = in.readVarint() != 0;
        } else {
          in.skip(tag & 7);
        }
      }
    }
    Object resolved = family(context.verbatim, nameStart, nameEnd, unitStart, unitEnd, descriptionStart,
        descriptionEnd, kind, monotonic, cumulative, unknownType);
    if (dataStart < 0) {
      return;
    }
    int pointField = switch (kind) {
      case GAUGE -> Gauge.DATA_POINTS_FIELD_NUMBER;
      case SUM -> Sum.DATA_POINTS_FIELD_NUMBER;
      case HISTOGRAM -> Histogram.DATA_POINTS_FIELD_NUMBER;
      case SUMMARY -> Summary.DATA_POINTS_FIELD_NUMBER;
      default -> 1;
    };
    int pos = dataStart;
    while (pos < dataEnd) {
      in.reset(buf, pos, dataEnd);
      int tag = in.readTag();
      if (tag >>> 3 == pointField) {
        WireReader.expect(tag, WireReader.LEN);
        int pointEnd = in.readLengthEnd();
        if (resolved instanceof Family family) {
          switch (kind) {
            case GAUGE, SUM -> numberPoint(context, family, in.pos, pointEnd);
            case HISTOGRAM -> histogramPoint(context, family, in.pos, pointEnd);
            default -> summaryPoint(context, family, in.pos, pointEnd);
          }
        } else {
          samples++;
          rejected[((RejectReason) resolved).ordinal()]++;
        }
        pos = pointEnd;
      } else {
        in.skip(tag & 7);
        pos = in.pos;
      }
    }
  }

  /** Whether a metadata {@code KeyValue} is {@code prometheus.type=unknown}. */
  private boolean isUnknownTypeMetadata(int start, int end) {
    slow.reset(buf, start, end);
    boolean key = false;
    boolean value = false;
    while (slow.hasRemaining()) {
      int tag = slow.readTag();
      if ((tag & 7) != WireReader.LEN) {
        slow.skip(tag & 7);
        continue;
      }
      int fieldEnd = slow.readLengthEnd();
      if (tag >>> 3 == KeyValue.KEY_FIELD_NUMBER) {
        key = Arrays.equals(buf, slow.pos, fieldEnd, PROMETHEUS_TYPE, 0, PROMETHEUS_TYPE.length);
      } else if (tag >>> 3 == KeyValue.VALUE_FIELD_NUMBER) {
        int valueEnd = fieldEnd;
        while (slow.pos < valueEnd) {
          int valueTag = slow.readTag();
          if (valueTag >>> 3 == AnyValue.STRING_VALUE_FIELD_NUMBER && (valueTag & 7) == WireReader.LEN) {
            int stringEnd = slow.readLengthEnd();
            value = Arrays.equals(buf, slow.pos, stringEnd, UNKNOWN, 0, UNKNOWN.length);
            slow.pos = stringEnd;
          } else {
            slow.skip(valueTag & 7);
          }
        }
      }
      slow.pos = fieldEnd;
    }
    return key && value;
  }

  /** The family of a metric, from the cache by the hash of its descriptor, else translated now. */
  private Object family(boolean verbatim, int nameStart, int nameEnd, int unitStart, int unitEnd,
      int descriptionStart, int descriptionEnd, MetricTranslation.DataKind kind, boolean monotonic, boolean cumulative,
      boolean unknownType) {
    long shape = (long) kind.ordinal() << 4 | (monotonic ? 1 : 0) | (cumulative ? 2 : 0) | (unknownType ? 4 : 0)
        | (verbatim ? 8 : 0);
    hash.hash(buf, nameStart, nameEnd - nameStart, shape, 0x6661_6d69_6c79L);
    hash.hash(buf, unitStart, unitEnd - unitStart, hash.hi, hash.lo);
    hash.hash(buf, descriptionStart, descriptionEnd - descriptionStart, hash.hi, hash.lo);
    probe.set(hash.hi, hash.lo);
    Object cached = store.familyCache.get(probe);
    if (cached != null) {
      return cached;
    }
    String name = utf8(nameStart, nameEnd);
    MetricTranslation.Result result = MetricTranslation.translate(name, utf8(unitStart, unitEnd), kind, monotonic,
        cumulative, unknownType, verbatim);
    Object resolved = result instanceof MetricTranslation.Exposed exposed
        ? store.family(exposed, utf8(descriptionStart, descriptionEnd))
        : RejectReason.UNSUPPORTED;
    store.familyCache.put(new Key128(probe.hi, probe.lo), resolved);
    return resolved;
  }

  // ---- data points ----

  private void numberPoint(ResourceContext context, Family family, int start, int end) {
    segments = 0;
    double value = 0;
    boolean hasValue = false;
    long startTime = 0;
    long time = 0;
    long flags = 0;
    in.reset(buf, start, end);
    while (in.hasRemaining()) {
      int tagStart = in.pos;
      int tag = in.readTag();
      switch (tag >>> 3) {
        case NumberDataPoint.ATTRIBUTES_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          in.pos = in.readLengthEnd();
          segment(tagStart, in.pos);
        }
        case NumberDataPoint.START_TIME_UNIX_NANO_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          startTime = in.readFixed64();
        }
        case NumberDataPoint.TIME_UNIX_NANO_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          time = in.readFixed64();
        }
        case NumberDataPoint.AS_DOUBLE_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          value = in.readDouble();
          hasValue = true;
        }
        case NumberDataPoint.AS_INT_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          value = in.readFixed64();
          hasValue = true;
        }
        case NumberDataPoint.FLAGS_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.VARINT);
          flags = in.readVarint();
        }
        default -> in.skip(tag & 7);
      }
    }
    samples++;
    boolean ended = (flags & NO_RECORDED_VALUE) != 0;
    if (!hasValue && !ended) {
      rejected[RejectReason.INVALID.ordinal()]++;
      return;
    }
    if (!ended && (family.type == FamilyType.COUNTER && value < 0
        || family.type == FamilyType.INFO && value != 1)) {
      rejected[RejectReason.INVALID.ordinal()]++;
      return;
    }
    Series series = series(context, family);
    if (series != null) {
      stage(series, value, null, startTime, time, ended);
    }
  }

  private void histogramPoint(ResourceContext context, Family family, int start, int end) {
    segments = 0;
    long startTime = 0;
    long time = 0;
    long count = 0;
    double sum = Double.NaN;
    long flags = 0;
    long[] counts = new long[16];
    int countCount = 0;
    double[] bounds = new double[16];
    int boundCount = 0;
    in.reset(buf, start, end);
    while (in.hasRemaining()) {
      int tagStart = in.pos;
      int tag = in.readTag();
      switch (tag >>> 3) {
        case HistogramDataPoint.ATTRIBUTES_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          in.pos = in.readLengthEnd();
          segment(tagStart, in.pos);
        }
        case HistogramDataPoint.START_TIME_UNIX_NANO_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          startTime = in.readFixed64();
        }
        case HistogramDataPoint.TIME_UNIX_NANO_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          time = in.readFixed64();
        }
        case HistogramDataPoint.COUNT_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          count = in.readFixed64();
        }
        case HistogramDataPoint.SUM_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          sum = in.readDouble();
        }
        case HistogramDataPoint.BUCKET_COUNTS_FIELD_NUMBER -> {
          if ((tag & 7) == WireReader.LEN) {
            int packedEnd = in.readLengthEnd();
            while (in.pos < packedEnd) {
              counts = grow(counts, countCount);
              counts[countCount++] = in.readFixed64();
            }
          } else {
            WireReader.expect(tag, WireReader.FIXED64);
            counts = grow(counts, countCount);
            counts[countCount++] = in.readFixed64();
          }
        }
        case HistogramDataPoint.EXPLICIT_BOUNDS_FIELD_NUMBER -> {
          if ((tag & 7) == WireReader.LEN) {
            int packedEnd = in.readLengthEnd();
            while (in.pos < packedEnd) {
              bounds = grow(bounds, boundCount);
              bounds[boundCount++] = in.readDouble();
            }
          } else {
            WireReader.expect(tag, WireReader.FIXED64);
            bounds = grow(bounds, boundCount);
            bounds[boundCount++] = in.readDouble();
          }
        }
        case HistogramDataPoint.FLAGS_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.VARINT);
          flags = in.readVarint();
        }
        default -> in.skip(tag & 7);
      }
    }
    samples += boundCount + 3;
    boolean ended = (flags & NO_RECORDED_VALUE) != 0;
    HistogramValue value = null;
    if (!ended) {
      value = histogram(count, sum, bounds, boundCount, counts, countCount);
      if (value == null) {
        rejected[RejectReason.INVALID.ordinal()] += boundCount + 3;
        return;
      }
    }
    Series series = series(context, family);
    if (series != null) {
      stage(series, count, value, startTime, time, ended);
    }
  }

  /** A classic histogram from OTLP buckets, or null when they are inconsistent. */
  private static HistogramValue histogram(long count, double sum, double[] bounds, int boundCount, long[] counts,
      int countCount) {
    if (countCount == 0 && boundCount == 0) {
      return new HistogramValue(ClassicHistogramBuckets.of(new double[] {Double.POSITIVE_INFINITY},
          new long[] {count}), count, sum);
    }
    if (countCount != boundCount + 1) {
      return null;
    }
    double[] upper = Arrays.copyOf(bounds, countCount);
    upper[boundCount] = Double.POSITIVE_INFINITY;
    long total = 0;
    for (int i = 0; i < countCount; i++) {
      if (counts[i] < 0 || (i > 0 && !(upper[i] > upper[i - 1]))) {
        return null;
      }
      total += counts[i];
    }
    if (total != count) {
      return null;
    }
    return new HistogramValue(ClassicHistogramBuckets.of(upper, Arrays.copyOf(counts, countCount)), count, sum);
  }

  private void summaryPoint(ResourceContext context, Family family, int start, int end) {
    segments = 0;
    long startTime = 0;
    long time = 0;
    long count = 0;
    double sum = 0;
    long flags = 0;
    List<Quantile> quantiles = new ArrayList<>();
    boolean valid = true;
    in.reset(buf, start, end);
    while (in.hasRemaining()) {
      int tagStart = in.pos;
      int tag = in.readTag();
      switch (tag >>> 3) {
        case SummaryDataPoint.ATTRIBUTES_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          in.pos = in.readLengthEnd();
          segment(tagStart, in.pos);
        }
        case SummaryDataPoint.START_TIME_UNIX_NANO_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          startTime = in.readFixed64();
        }
        case SummaryDataPoint.TIME_UNIX_NANO_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          time = in.readFixed64();
        }
        case SummaryDataPoint.COUNT_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          count = in.readFixed64();
        }
        case SummaryDataPoint.SUM_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          sum = in.readDouble();
        }
        case SummaryDataPoint.QUANTILE_VALUES_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          int quantileEnd = in.readLengthEnd();
          double q = 0;
          double v = 0;
          while (in.pos < quantileEnd) {
            int quantileTag = in.readTag();
            if (quantileTag >>> 3 == SummaryDataPoint.ValueAtQuantile.QUANTILE_FIELD_NUMBER) {
              WireReader.expect(quantileTag, WireReader.FIXED64);
              q = in.readDouble();
            } else if (quantileTag >>> 3 == SummaryDataPoint.ValueAtQuantile.VALUE_FIELD_NUMBER) {
              WireReader.expect(quantileTag, WireReader.FIXED64);
              v = in.readDouble();
            } else {
              in.skip(quantileTag & 7);
            }
          }
          if (q >= 0 && q <= 1) {
            quantiles.add(new Quantile(q, v));
          } else {
            valid = false;
          }
        }
        case SummaryDataPoint.FLAGS_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.VARINT);
          flags = in.readVarint();
        }
        default -> in.skip(tag & 7);
      }
    }
    samples += quantiles.size() + 2;
    boolean ended = (flags & NO_RECORDED_VALUE) != 0;
    SummaryValue value = null;
    if (!ended) {
      try {
        value = valid && count >= 0 ? new SummaryValue(Quantiles.of(quantiles), count, sum) : null;
      } catch (IllegalArgumentException e) {
        value = null;
      }
      if (value == null) {
        rejected[RejectReason.INVALID.ordinal()] += quantiles.size() + 2;
        return;
      }
    }
    Series series = series(context, family);
    if (series != null) {
      stage(series, count, value, startTime, time, ended);
    }
  }

  private void segment(int start, int end) {
    if (segments == segmentStart.length) {
      segmentStart = Arrays.copyOf(segmentStart, segments * 2);
      segmentEnd = Arrays.copyOf(segmentEnd, segments * 2);
    }
    segmentStart[segments] = start;
    segmentEnd[segments] = end;
    segments++;
  }

  // ---- series identity ----

  /** The series of the current data point, or null (counted) when it is refused. */
  private Series series(ResourceContext context, Family family) {
    long seedHi = Hash128.combine(context.seedHi, family.id, 0x9E3779B97F4A7C15L);
    long seedLo = Hash128.combine(context.seedLo, family.id, 0xC2B2AE3D27D4EB4FL);
    if (segments == 0) {
      hash.hash(buf, 0, 0, seedHi, seedLo);
    } else {
      boolean contiguous = true;
      for (int i = 1; i < segments && contiguous; i++) {
        contiguous = segmentStart[i] == segmentEnd[i - 1];
      }
      if (contiguous) {
        hash.hash(buf, segmentStart[0], segmentEnd[segments - 1] - segmentStart[0], seedHi, seedLo);
      } else {
        int length = 0;
        for (int i = 0; i < segments; i++) {
          int size = segmentEnd[i] - segmentStart[i];
          if (scratch.length < length + size) {
            scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, length + size));
          }
          System.arraycopy(buf, segmentStart[i], scratch, length, size);
          length += size;
        }
        hash.hash(scratch, 0, length, seedHi, seedLo);
      }
    }
    Series series = store.index.get(hash.hi, hash.lo);
    if (series != null) {
      return series;
    }
    probe.set(hash.hi, hash.lo);
    RejectReason refusal = store.refused.get(probe);
    if (refusal != null) {
      rejected[refusal.ordinal()]++;
      return null;
    }
    return newSeries(context, family);
  }

  /** Decodes the data point's labels; finds the series by them or creates it. */
  private Series newSeries(ResourceContext context, Family family) {
    List<String> names = new ArrayList<>(segments + context.names.length);
    List<String> values = new ArrayList<>(segments + context.names.length);
    for (int i = 0; i < segments; i++) {
      slow.reset(buf, segmentStart[i], segmentEnd[i]);
      slow.readTag();
      int end = slow.readLengthEnd();
      String key = "";
      String value = null;
      while (slow.pos < end) {
        int tag = slow.readTag();
        if (tag >>> 3 == KeyValue.KEY_FIELD_NUMBER && (tag & 7) == WireReader.LEN) {
          int keyEnd = slow.readLengthEnd();
          key = utf8(slow.pos, keyEnd);
          slow.pos = keyEnd;
        } else if (tag >>> 3 == KeyValue.VALUE_FIELD_NUMBER && (tag & 7) == WireReader.LEN) {
          int valueEnd = slow.readLengthEnd();
          value = attributeText(slow.pos, valueEnd);
          slow.pos = valueEnd;
        } else {
          slow.skip(tag & 7);
        }
      }
      if (key.isEmpty() || value == null) {
        continue;
      }
      String name = context.verbatim ? key : PrometheusNames.labelName(key);
      boolean reserved = family.type == FamilyType.HISTOGRAM && name.equals("le")
          || family.type == FamilyType.SUMMARY && name.equals("quantile");
      if (!PrometheusNames.isValidLabelName(name) || reserved) {
        store.refuse(probe, RejectReason.INVALID);
        rejected[RejectReason.INVALID.ordinal()]++;
        return null;
      }
      if (!names.contains(name)) {
        names.add(store.interner.intern(name));
        values.add(store.interner.intern(value));
      }
    }
    for (int i = 0; i < context.names.length; i++) {
      if (!names.contains(context.names[i])) {
        names.add(store.interner.intern(context.names[i]));
        values.add(store.interner.intern(context.values[i]));
      }
    }
    Labels labels;
    try {
      labels = Labels.of(names, values);
    } catch (IllegalArgumentException e) {
      store.refuse(probe, RejectReason.INVALID);
      rejected[RejectReason.INVALID.ordinal()]++;
      return null;
    }
    Series existing = family.byLabels.get(labels);
    if (existing != null) {
      existing.keys.add(probe.copy());
      store.index.put(probe.hi, probe.lo, existing);
      return existing;
    }
    String namespace = context.namespace;
    int namespaceIndex = context.verbatim ? names.indexOf("namespace") : -1;
    if (namespaceIndex >= 0) {
      namespace = values.get(namespaceIndex);
    }
    Series series = store.create(family, labels, namespace, partition, seenMillis);
    if (series == null) {
      store.refuse(probe, RejectReason.CARDINALITY);
      rejected[RejectReason.CARDINALITY.ordinal()]++;
      return null;
    }
    series.keys.add(probe.copy());
    store.index.put(probe.hi, probe.lo, series);
    created.add(series);
    return series;
  }

  /** An {@code AnyValue} as label text (see {@link ResourceContext#text}); null for arrays, maps and bytes. */
  private String attributeText(int start, int end) {
    WireReader value = new WireReader().reset(buf, start, end);
    String text = null;
    while (value.hasRemaining()) {
      int tag = value.readTag();
      switch (tag >>> 3) {
        case AnyValue.STRING_VALUE_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.LEN);
          int stringEnd = value.readLengthEnd();
          text = utf8(value.pos, stringEnd);
          value.pos = stringEnd;
        }
        case AnyValue.BOOL_VALUE_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.VARINT);
          text = Boolean.toString(value.readVarint() != 0);
        }
        case AnyValue.INT_VALUE_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.VARINT);
          text = Long.toString(value.readVarint());
        }
        case AnyValue.DOUBLE_VALUE_FIELD_NUMBER -> {
          WireReader.expect(tag, WireReader.FIXED64);
          text = Double.toString(value.readDouble());
        }
        default -> {
          value.skip(tag & 7);
          text = null;
        }
      }
    }
    return text;
  }

  // ---- staging and applying ----

  private void stage(Series series, double value, Object complex, long startNanos, long timeNanos, boolean ended) {
    if (staged == stagedSeries.length) {
      int capacity = staged * 2;
      stagedSeries = Arrays.copyOf(stagedSeries, capacity);
      stagedValue = Arrays.copyOf(stagedValue, capacity);
      stagedComplex = Arrays.copyOf(stagedComplex, capacity);
      stagedStart = Arrays.copyOf(stagedStart, capacity);
      stagedTime = Arrays.copyOf(stagedTime, capacity);
      stagedEnd = Arrays.copyOf(stagedEnd, capacity);
    }
    stagedSeries[staged] = series;
    stagedValue[staged] = value;
    stagedComplex[staged] = complex;
    stagedStart[staged] = startNanos;
    stagedTime[staged] = timeNanos;
    stagedEnd[staged] = ended;
    staged++;
  }

  /** Applies the staged samples; returns how many were stored. */
  private int apply(boolean replay) {
    SampleListener listener = replay ? null : store.listener();
    int stored = 0;
    int resets = 0;
    for (int i = 0; i < staged; i++) {
      Series series = stagedSeries[i];
      stagedSeries[i] = null;
      Object complex = stagedComplex[i];
      stagedComplex[i] = null;
      if (series.removed) {
        continue;
      }
      if (stagedEnd[i]) {
        store.end(series, seenMillis);
        continue;
      }
      long time = stagedTime[i] > 0 ? stagedTime[i] / NANOS_PER_MILLI : seenMillis;
      double value = stagedValue[i];
      long start = stagedStart[i];
      if (series.hasValue) {
        if (time < series.timestampMillis) {
          rejected[RejectReason.OUT_OF_ORDER.ordinal()]++;
          continue;
        }
        if (time == series.timestampMillis) {
          series.lastSeenMillis = Math.max(series.lastSeenMillis, seenMillis);
          continue;
        }
        if (series.family.type.cumulative()) {
          boolean startChanged = start != series.startNanos;
          if (value < series.value) {
            if (start != 0 && !startChanged) {
              rejected[RejectReason.COUNTER_REGRESSION.ordinal()]++;
              series.lastSeenMillis = Math.max(series.lastSeenMillis, seenMillis);
              continue;
            }
            resets++;
          } else if (startChanged && start != 0 && series.startNanos != 0) {
            resets++;
          }
        }
      }
      series.hasValue = true;
      series.value = value;
      series.complex = complex;
      series.timestampMillis = time;
      series.startNanos = start;
      series.lastSeenMillis = Math.max(series.lastSeenMillis, seenMillis);
      stored++;
      if (listener != null) {
        listener.sample(series, value, complex, time);
      }
    }
    staged = 0;
    if (resets > 0) {
      store.meters.counterResets.increment(resets);
    }
    return stored;
  }

  private String utf8(int start, int end) {
    return new String(buf, start, end - start, StandardCharsets.UTF_8);
  }

  private static long[] grow(long[] array, int size) {
    return size < array.length ? array : Arrays.copyOf(array, array.length * 2);
  }

  private static double[] grow(double[] array, int size) {
    return size < array.length ? array : Arrays.copyOf(array, array.length * 2);
  }
}
