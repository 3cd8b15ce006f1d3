package io.kubeobserve.adapter.store;

import io.kubeobserve.adapter.translate.MetricTranslation;
import io.kubeobserve.core.contract.RecordDecodeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest sample of every series of the partitions this replica holds, as Prometheus should see
 * them. One thread (the consumer's) ingests records, removes stale series and drops revoked
 * partitions; any thread renders snapshots.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li><b>Order:</b> a sample older than the series' latest is ignored ({@code out_of_order}); one
 *       with the same time only refreshes the series (cAdvisor repeats its timestamps).
 *   <li><b>Resets:</b> counters, histograms and summaries never go backwards except on a real
 *       reset. A lower value is a reset when its start time differs from the stored one, or when
 *       the start time is unknown (0: Prometheus text has none); with the same known start time it
 *       is ignored ({@code counter_regression}). A reset is exposed as the lower value, which
 *       Prometheus' {@code rate} and {@code resets} read as a reset.
 *   <li><b>Staleness:</b> a series whose last sample's record was produced more than
 *       {@code timeout} ago is no longer exposed, then forgotten by {@link #removeStale()}. A data
 *       point flagged "no recorded value" ends its series at once.
 *   <li><b>Cardinality:</b> a new series beyond {@code maxSeries}, {@code maxSeriesPerMetric} or
 *       {@code maxSeriesPerNamespace} is refused and counted; its samples are counted as rejected
 *       without further work. Which metrics and namespaces hit a limit is logged once per sweep.
 * </ul>
 */
public final class SeriesStore {

  private static final Logger LOG = LoggerFactory.getLogger(SeriesStore.class);
  private static final int MAX_REFUSED_KEYS = 1_000_000;
  private static final int MAX_CACHED_RESOURCES = 100_000;

  /**
   * @param staleness how long a series stays exposed without a new sample
   * @param maxSeries limits of the cardinality guard
   * @param clusterLabel when not empty, the label carrying {@code k8s.cluster.name}
   */
  public record Settings(Duration staleness, int maxSeries, int maxSeriesPerMetric, int maxSeriesPerNamespace,
      String clusterLabel) {}

  /** What a record contributed, for logs and tests. */
  public record Outcome(int samples, int stored, int rejected) {}

  final Settings settings;
  private final Clock clock;
  final StoreMeters meters;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final OtlpIngester ingester;
  private SampleListener listener;

  // Guarded by the write lock (mutations) and the read lock (rendering).
  final SeriesIndex index = new SeriesIndex();
  final Interner interner = new Interner(1_000_000);
  final Map<String, Family> families = new HashMap<>();
  final Map<Key128, Object> familyCache = new HashMap<>();
  final Map<Key128, ResourceContext> resourceCache = new HashMap<>();
  final Map<Key128, RejectReason> refused = new HashMap<>();
  private final Map<String, int[]> namespaceCounts = new HashMap<>();
  private final Map<String, Long> limitHits = new TreeMap<>();
  private int nextFamilyId;
  private volatile int size;
  /** Some family has members added since the last render: sorted by the next one. */
  private volatile boolean unsorted;

  public SeriesStore(Settings settings, Clock clock, MeterRegistry registry) {
    this.settings = settings;
    this.clock = clock;
    this.meters = new StoreMeters(registry, this);
    this.ingester = new OtlpIngester(this);
  }

  /** Sets who hears of accepted samples and forgotten series (remote-write). */
  public void listener(SampleListener listener) {
    lock.writeLock().lock();
    try {
      this.listener = listener;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The number of series held. */
  public int size() {
    return size;
  }

  /**
   * Stores the samples of one {@code k8s-metrics} record value, all or none.
   *
   * @param partition the record's partition: its series are dropped when the partition is revoked
   * @param recordTimestampMillis when the agent produced the record; staleness counts from it
   * @param replay a record re-read at partition assignment: stored, not passed to the listener
   * @throws RecordDecodeException when the value is not an OTLP {@code ExportMetricsServiceRequest}
   */
  public Outcome ingest(byte[] value, int partition, long recordTimestampMillis, boolean replay)
      throws RecordDecodeException {
    if (value == null) {
      throw new RecordDecodeException("record has no value (a tombstone)", null);
    }
    lock.writeLock().lock();
    try {
      long now = clock.millis();
      long seen = recordTimestampMillis > 0 ? Math.min(now, recordTimestampMillis) : now;
      return ingester.ingest(value, partition, seen, replay);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Forgets the series not updated within the staleness timeout; returns how many. */
  public int removeStale() {
    lock.writeLock().lock();
    try {
      long now = clock.millis();
      long cutoff = now - settings.staleness().toMillis();
      int removed = remove(series -> series.lastSeenMillis < cutoff, now, true);
      meters.removedStale.increment(removed);
      refused.clear();
      if (resourceCache.size() > MAX_CACHED_RESOURCES) {
        resourceCache.clear();
      }
      if (families.values().removeIf(family -> family.members.isEmpty())) {
        familyCache.clear();
      }
      reportLimitHits();
      return removed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Forgets the series fed by these partitions, revoked from this replica; returns how many. */
  public int removePartitions(Set<Integer> partitions) {
    lock.writeLock().lock();
    try {
      int removed = remove(series -> partitions.contains(series.partition), clock.millis(), false);
      meters.removedRevoked.increment(removed);
      return removed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private int remove(Predicate<Series> which, long now, boolean tellListener) {
    int removed = 0;
    for (Family family : families.values()) {
      Iterator<Series> members = family.members.iterator();
      while (members.hasNext()) {
        Series series = members.next();
        if (which.test(series)) {
          members.remove();
          forget(series, now, tellListener);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Removes a series from the indexes (not from its family's member list). */
  private void forget(Series series, long now, boolean tellListener) {
    series.removed = true;
    for (Key128 key : series.keys) {
      index.remove(key.hi, key.lo);
    }
    series.family.byLabels.remove(series.labels);
    int[] count = namespaceCounts.get(series.namespace);
    if (count != null && --count[0] == 0) {
      namespaceCounts.remove(series.namespace);
    }
    size--;
    if (tellListener && listener != null && series.hasValue) {
      listener.gone(series, now);
    }
  }

  // ---- called by OtlpIngester under the write lock ----

  /** The family for a translated metric, or a {@link RejectReason} when it conflicts with another. */
  Object family(MetricTranslation.Exposed exposed, String help) {
    Family family = families.get(exposed.name());
    if (family == null) {
      family = new Family(nextFamilyId++, exposed.name(), exposed.exposedName(), exposed.type(), help);
      families.put(exposed.name(), family);
      return family;
    }
    if (family.type != exposed.type() || !family.exposedName.equals(exposed.exposedName())) {
      LOG.warn("metric {} ({}) conflicts with family {} ({}) already exposed; its samples are rejected",
          exposed.exposedName(), exposed.type(), family.exposedName, family.type);
      return RejectReason.UNSUPPORTED;
    }
    family.help(help);
    return family;
  }

  /**
   * Adds a new series if the cardinality guard allows it; else returns null after counting.
   */
  Series create(Family family, io.prometheus.metrics.model.snapshots.Labels labels, String namespace, int partition,
      long seenMillis) {
    Limit exceeded = null;
    if (size >= settings.maxSeries()) {
      exceeded = Limit.TOTAL;
    } else if (family.members.size() >= settings.maxSeriesPerMetric()) {
      exceeded = Limit.METRIC;
    } else if (!namespace.isEmpty() && namespaceCount(namespace) >= settings.maxSeriesPerNamespace()) {
      exceeded = Limit.NAMESPACE;
    }
    if (exceeded != null) {
      switch (exceeded) {
        case TOTAL -> meters.droppedByTotalLimit.increment();
        case METRIC -> meters.droppedByMetricLimit.increment();
        case NAMESPACE -> meters.droppedByNamespaceLimit.increment();
      }
      String what = switch (exceeded) {
        case TOTAL -> "all metrics (limits.maxSeries=" + settings.maxSeries() + ")";
        case METRIC -> "metric " + family.exposedName + " (limits.maxSeriesPerMetric=" + settings.maxSeriesPerMetric()
            + ")";
        case NAMESPACE -> "namespace " + namespace + " (limits.maxSeriesPerNamespace="
            + settings.maxSeriesPerNamespace() + ")";
      };
      if (limitHits.size() < 100 || limitHits.containsKey(what)) {
        limitHits.merge(what, 1L, Long::sum);
      }
      return null;
    }
    Series series = new Series(family, labels, namespace, partition, seenMillis);
    family.add(series);
    unsorted = true;
    if (!namespace.isEmpty()) {
      namespaceCounts.computeIfAbsent(namespace, n -> new int[1])[0]++;
    }
    size++;
    meters.seriesCreated.increment();
    return series;
  }

  /** Undoes {@link #create} for a record that turned out malformed. */
  void discard(Series series) {
    series.family.members.remove(series);
    forget(series, 0, false);
  }

  private int namespaceCount(String namespace) {
    int[] count = namespaceCounts.get(namespace);
    return count == null ? 0 : count[0];
  }

  private enum Limit { TOTAL, METRIC, NAMESPACE }

  void refuse(Key128 key, RejectReason reason) {
    if (refused.size() >= MAX_REFUSED_KEYS) {
      refused.clear();
    }
    refused.put(key.copy(), reason);
  }

  /** Ends a series flagged "no recorded value" at the source. */
  void end(Series series, long now) {
    if (!series.removed) {
      series.family.members.remove(series);
      forget(series, now, true);
      meters.removedEnded.increment();
    }
  }

  SampleListener listener() {
    return listener;
  }

  private void reportLimitHits() {
    if (!limitHits.isEmpty()) {
      LOG.warn("cardinality guard: new series refused since the last sweep: {}", limitHits);
      limitHits.clear();
    }
  }

  // ---- rendering ----

  /**
   * The exposed series as the prometheus-metrics library's snapshots.
   *
   * @param withTimestamps give each sample its source timestamp
   */
  public MetricSnapshots snapshot(boolean withTimestamps) {
    if (unsorted) {
      // sort families that grew (once per scrape, not per record), then read under the same lock
      lock.writeLock().lock();
      try {
        for (Family family : families.values()) {
          family.sortIfNeeded();
        }
        unsorted = false;
        lock.readLock().lock();
      } finally {
        lock.writeLock().unlock();
      }
    } else {
      lock.readLock().lock();
    }
    try {
      long cutoff = clock.millis() - settings.staleness().toMillis();
      List<MetricSnapshot> snapshots = new ArrayList<>(families.size());
      for (Family family : families.values()) {
        MetricSnapshot snapshot = snapshot(family, cutoff, withTimestamps);
        if (snapshot != null) {
          snapshots.add(snapshot);
        }
      }
      return new MetricSnapshots(snapshots);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static MetricSnapshot snapshot(Family family, long cutoff, boolean withTimestamps) {
    List<Series> members = family.members;
    int live = 0;
    for (int i = 0; i < members.size(); i++) {
      Series series = members.get(i);
      if (series.hasValue && series.lastSeenMillis >= cutoff) {
        live++;
      }
    }
    if (live == 0) {
      return null;
    }
    switch (family.type) {
      case COUNTER: {
        List<CounterSnapshot.CounterDataPointSnapshot> points = new ArrayList<>(live);
        for (Series s : members) {
          if (s.hasValue && s.lastSeenMillis >= cutoff) {
            points.add(new CounterSnapshot.CounterDataPointSnapshot(s.value, s.labels, null, 0,
                withTimestamps ? s.timestampMillis : 0));
          }
        }
        return new CounterSnapshot(family.metadata, points);
      }
      case GAUGE: {
        List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>(live);
        for (Series s : members) {
          if (s.hasValue && s.lastSeenMillis >= cutoff) {
            points.add(new GaugeSnapshot.GaugeDataPointSnapshot(s.value, s.labels, null,
                withTimestamps ? s.timestampMillis : 0));
          }
        }
        return new GaugeSnapshot(family.metadata, points);
      }
      case UNKNOWN: {
        List<UnknownSnapshot.UnknownDataPointSnapshot> points = new ArrayList<>(live);
        for (Series s : members) {
          if (s.hasValue && s.lastSeenMillis >= cutoff) {
            points.add(new UnknownSnapshot.UnknownDataPointSnapshot(s.value, s.labels, null,
                withTimestamps ? s.timestampMillis : 0));
          }
        }
        return new UnknownSnapshot(family.metadata, points);
      }
      case INFO: {
        List<InfoSnapshot.InfoDataPointSnapshot> points = new ArrayList<>(live);
        for (Series s : members) {
          if (s.hasValue && s.lastSeenMillis >= cutoff) {
            points.add(new InfoSnapshot.InfoDataPointSnapshot(s.labels, withTimestamps ? s.timestampMillis : 0));
          }
        }
        return new InfoSnapshot(family.metadata, points);
      }
      case HISTOGRAM: {
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>(live);
        for (Series s : members) {
          if (s.hasValue && s.lastSeenMillis >= cutoff) {
            HistogramValue h = (HistogramValue) s.complex;
            points.add(new HistogramSnapshot.HistogramDataPointSnapshot(h.buckets(),
                HistogramSnapshot.CLASSIC_HISTOGRAM, 0, 0, NativeHistogramBuckets.EMPTY, NativeHistogramBuckets.EMPTY,
                h.sum(), s.labels, Exemplars.EMPTY, 0, withTimestamps ? s.timestampMillis : 0));
          }
        }
        return new HistogramSnapshot(family.metadata, points);
      }
      case SUMMARY: {
        List<SummarySnapshot.SummaryDataPointSnapshot> points = new ArrayList<>(live);
        for (Series s : members) {
          if (s.hasValue && s.lastSeenMillis >= cutoff) {
            SummaryValue v = (SummaryValue) s.complex;
            points.add(new SummarySnapshot.SummaryDataPointSnapshot(v.count(), v.sum(), v.quantiles(), s.labels,
                Exemplars.EMPTY, 0, withTimestamps ? s.timestampMillis : 0));
          }
        }
        return new SummarySnapshot(family.metadata, points);
      }
      default:
        throw new IllegalStateException("unknown family type " + family.type);
    }
  }
}
