package io.kubeobserve.adapter.remotewrite;

import com.google.protobuf.CodedOutputStream;
import io.kubeobserve.adapter.store.HistogramValue;
import io.kubeobserve.adapter.store.Series;
import io.kubeobserve.adapter.store.SummaryValue;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Quantile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes samples as a Prometheus remote-write 1.0 {@code prometheus.WriteRequest} (protobuf, not
 * yet compressed):
 *
 * <pre>
 * WriteRequest { repeated TimeSeries timeseries = 1; }
 * TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * Label        { string name = 1; string value = 2; }
 * Sample       { double value = 1; int64 timestamp = 2; }   // milliseconds
 * </pre>
 *
 * <p>Each sample becomes the series Prometheus would have scraped: {@code x_total} for counters,
 * {@code x_info} (value 1) for infos, {@code _bucket} (cumulative, with {@code le}),
 * {@code _count} and {@code _sum} for histograms, {@code {quantile}}, {@code _count} and
 * {@code _sum} for summaries. Labels are sorted by name with {@code __name__} among them; labels
 * with empty values are left out, as Prometheus treats them as absent. Bucket bounds and quantiles
 * are written as Prometheus' own text writers format floats ({@code 0.5}, {@code 1e-05}, {@code +Inf}).
 */
public final class WriteRequestEncoder {

  private static final int TIMESERIES = 1;
  private static final int LABELS = 1;
  private static final int SAMPLES = 2;
  private static final int NAME = 1;
  private static final int VALUE = 2;
  private static final int SAMPLE_VALUE = 1;
  private static final int SAMPLE_TIMESTAMP = 2;

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);

  /** The encoded request of these queue entries. */
  public byte[] encode(List<RemoteWriteQueue.Entry> entries) {
    buffer.reset();
    CodedOutputStream out = CodedOutputStream.newInstance(buffer, 1 << 13);
    try {
      for (RemoteWriteQueue.Entry entry : entries) {
        Series series = entry.series();
        long time = entry.timestampMillis();
        String name = series.exposedName();
        switch (series.type()) {
          case HISTOGRAM -> {
            HistogramValue histogram = (HistogramValue) (entry.stale() ? null : entry.complex());
            writeHistogram(out, series, name, histogram, entry.stale(), time);
          }
          case SUMMARY -> {
            SummaryValue summary = (SummaryValue) (entry.stale() ? null : entry.complex());
            writeSummary(out, series, name, summary, entry.stale(), time);
          }
          case INFO -> timeSeries(out, series, name, null, null, entry.stale() ? entry.value() : 1, time);
          default -> timeSeries(out, series, name, null, null, entry.value(), time);
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private void writeHistogram(CodedOutputStream out, Series series, String name, HistogramValue histogram,
      boolean stale, long time) throws IOException {
    double staleValue = RemoteWriteQueue.STALE_NAN;
    if (histogram != null) {
      ClassicHistogramBuckets buckets = histogram.buckets();
      long cumulative = 0;
      for (int i = 0; i < buckets.size(); i++) {
        cumulative += buckets.getCount(i);
        timeSeries(out, series, name + "_bucket", "le", format(buckets.getUpperBound(i)), cumulative, time);
      }
      timeSeries(out, series, name + "_count", null, null, histogram.count(), time);
      if (!Double.isNaN(histogram.sum())) {
        timeSeries(out, series, name + "_sum", null, null, histogram.sum(), time);
      }
    } else if (stale) {
      // the last buckets are unknown here: mark _count and _sum stale; buckets go stale in 5 minutes
      timeSeries(out, series, name + "_count", null, null, staleValue, time);
      timeSeries(out, series, name + "_sum", null, null, staleValue, time);
    }
  }

  private void writeSummary(CodedOutputStream out, Series series, String name, SummaryValue summary, boolean stale,
      long time) throws IOException {
    if (summary != null) {
      for (Quantile quantile : summary.quantiles()) {
        timeSeries(out, series, name, "quantile", format(quantile.getQuantile()), quantile.getValue(), time);
      }
      timeSeries(out, series, name + "_count", null, null, summary.count(), time);
      timeSeries(out, series, name + "_sum", null, null, summary.sum(), time);
    } else if (stale) {
      timeSeries(out, series, name + "_count", null, null, RemoteWriteQueue.STALE_NAN, time);
      timeSeries(out, series, name + "_sum", null, null, RemoteWriteQueue.STALE_NAN, time);
    }
  }

  /** Writes one TimeSeries with one sample: the series' labels, {@code __name__} and one extra label. */
  private void timeSeries(CodedOutputStream out, Series series, String name, String extraName, String extraValue,
      double value, long time) throws IOException {
    List<String[]> labels = sortedLabels(series.labels(), name, extraName, extraValue);
    int size = 0;
    for (String[] label : labels) {
      int labelSize = labelSize(label);
      size += CodedOutputStream.computeTagSize(LABELS) + CodedOutputStream.computeUInt32SizeNoTag(labelSize) + labelSize;
    }
    int sampleSize = sampleSize(value, time);
    size += CodedOutputStream.computeTagSize(SAMPLES) + CodedOutputStream.computeUInt32SizeNoTag(sampleSize) + sampleSize;
    out.writeTag(TIMESERIES, 2);
    out.writeUInt32NoTag(size);
    for (String[] label : labels) {
      out.writeTag(LABELS, 2);
      out.writeUInt32NoTag(labelSize(label));
      out.writeString(NAME, label[0]);
      out.writeString(VALUE, label[1]);
    }
    out.writeTag(SAMPLES, 2);
    out.writeUInt32NoTag(sampleSize);
    out.writeDouble(SAMPLE_VALUE, value);
    out.writeInt64(SAMPLE_TIMESTAMP, time);
  }

  private static int labelSize(String[] label) {
    return CodedOutputStream.computeStringSize(NAME, label[0]) + CodedOutputStream.computeStringSize(VALUE, label[1]);
  }

  private static int sampleSize(double value, long time) {
    return CodedOutputStream.computeDoubleSize(SAMPLE_VALUE, value) + CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP,
        time);
  }

  /** The labels sorted by name (byte order), with {@code __name__} and the extra label, empty values left out. */
  static List<String[]> sortedLabels(Labels labels, String name, String extraName, String extraValue) {
    List<String[]> sorted = new ArrayList<>(labels.size() + 2);
    sorted.add(new String[] {"__name__", name});
    if (extraName != null) {
      sorted.add(new String[] {extraName, extraValue});
    }
    for (int i = 0; i < labels.size(); i++) {
      String value = labels.getValue(i);
      if (!value.isEmpty() && !labels.getPrometheusName(i).equals(extraName)) {
        sorted.add(new String[] {labels.getPrometheusName(i), value});
      }
    }
    sorted.sort((a, b) -> compareUtf8(a[0], b[0]));
    return sorted;
  }

  private static int compareUtf8(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A float as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} writes it, which is how the kubelet
   * and Prometheus write {@code le} and {@code quantile}: {@code 1}, {@code 0.005}, {@code 1e-05},
   * {@code 2.5e+06}, {@code +Inf}.
   */
  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return "0";
    }
    java.math.BigDecimal decimal = new java.math.BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
    String digits = decimal.unscaledValue().toString();
    int exponent = decimal.precision() - decimal.scale() - 1;
    String sign = value < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
          + Math.abs(exponent);
    }
    return sign + decimal.toPlainString();
  }
}
