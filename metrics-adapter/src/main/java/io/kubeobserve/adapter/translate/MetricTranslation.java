package io.kubeobserve.adapter.translate;

/**
 * Decides how an OTLP metric is exposed to Prometheus: its family name and type.
 *
 * <p>Metrics relayed from a Prometheus endpoint ({@code verbatim}) keep their name; others get the
 * standard translation of {@link PrometheusNames}. The name then picks the representation, because
 * the prometheus-metrics library reserves the suffixes {@code _total}, {@code _info},
 * {@code _created} and {@code _bucket}:
 *
 * <ul>
 *   <li>a monotonic cumulative sum named {@code x_total} is counter {@code x}; one named otherwise
 *       (cAdvisor's {@code container_memory_failcnt}) keeps its name as an untyped family, since the
 *       library writes every counter with {@code _total};
 *   <li>a gauge or non-monotonic sum named {@code x_total} (cAdvisor's
 *       {@code container_fs_inodes_total}) keeps its name as counter {@code x} (TYPE counter; negative
 *       values are dropped); one named {@code x_info} is info {@code x} (values other than 1 are
 *       dropped); untyped ({@code prometheus.type=unknown}) stays untyped; others are gauges;
 *   <li>cumulative histograms and summaries keep their type;
 *   <li>delta temporality, exponential histograms, names the library cannot represent
 *       ({@code _created}, {@code _bucket}) and invalid names are rejected with a reason.
 * </ul>
 */
public final class MetricTranslation {

  /** The data of an OTLP metric. */
  public enum DataKind { GAUGE, SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY, NONE }

  /** The outcome: {@link Exposed} or {@link Rejected}. */
  public sealed interface Result permits Exposed, Rejected {}

  /**
   * @param name the library's metric name: without {@code _total} for counters, {@code _info} for infos
   * @param type the snapshot type
   * @param exposedName the name of the family's samples as Prometheus stores them ({@code x_total},
   *     {@code x_info}; for histograms and summaries the base of {@code _bucket}, {@code _count}, ...)
   */
  public record Exposed(String name, FamilyType type, String exposedName) implements Result {}

  /**
   * @param reason a short tag for meters ({@code unsupported_type}, {@code delta_temporality},
   *     {@code invalid_name}, {@code reserved_suffix})
   * @param detail for logs
   */
  public record Rejected(String reason, String detail) implements Result {}

  private MetricTranslation() {}

  /**
   * @param name the OTLP metric name
   * @param unit its unit
   * @param kind its data
   * @param monotonic for sums
   * @param cumulative for sums and histograms: aggregation temporality cumulative
   * @param unknownType metadata {@code prometheus.type=unknown}
   * @param verbatim relayed from a Prometheus endpoint: names kept
   */
  public static Result translate(String name, String unit, DataKind kind, boolean monotonic, boolean cumulative,
      boolean unknownType, boolean verbatim) {
    switch (kind) {
      case EXPONENTIAL_HISTOGRAM, NONE:
        return new Rejected("unsupported_type", name + ": " + kind.name().toLowerCase() + " data is not relayed");
      case SUM, HISTOGRAM:
        if (!cumulative) {
          return new Rejected("delta_temporality", name + ": delta temporality cannot be exposed to Prometheus");
        }
        break;
      default:
        break;
    }
    PrometheusNames.Kind naming = switch (kind) {
      case SUM -> monotonic ? PrometheusNames.Kind.MONOTONIC_COUNTER : PrometheusNames.Kind.NON_MONOTONIC_COUNTER;
      case HISTOGRAM -> PrometheusNames.Kind.HISTOGRAM;
      case SUMMARY -> PrometheusNames.Kind.SUMMARY;
      default -> PrometheusNames.Kind.GAUGE;
    };
    String promName = verbatim ? name : PrometheusNames.metricName(name, unit, naming);
    if (!PrometheusNames.isValidMetricName(promName)) {
      return new Rejected("invalid_name", "'" + name + "' is not a Prometheus metric name");
    }
    if (kind == DataKind.HISTOGRAM || kind == DataKind.SUMMARY) {
      return reserved(promName) != null
          ? new Rejected("reserved_suffix", promName + ": a " + kind.name().toLowerCase() + " cannot end in "
              + reserved(promName))
          : new Exposed(promName, kind == DataKind.HISTOGRAM ? FamilyType.HISTOGRAM : FamilyType.SUMMARY, promName);
    }
    boolean counter = kind == DataKind.SUM && monotonic;
    if (promName.endsWith("_total") && promName.length() > "_total".length()) {
      return new Exposed(strip(promName, "_total"), FamilyType.COUNTER, promName);
    }
    if (promName.endsWith("_info") && promName.length() > "_info".length() && !counter) {
      return new Exposed(strip(promName, "_info"), FamilyType.INFO, promName);
    }
    if (reserved(promName) != null) {
      return new Rejected("reserved_suffix", promName + ": the exposition library cannot write a "
          + (counter ? "counter" : "gauge") + " ending in " + reserved(promName));
    }
    return new Exposed(promName, counter || unknownType ? FamilyType.UNKNOWN : FamilyType.GAUGE, promName);
  }

  private static String reserved(String name) {
    for (String suffix : new String[] {"_total", "_created", "_bucket", "_info"}) {
      if (name.endsWith(suffix)) {
        return suffix;
      }
    }
    return null;
  }

  private static String strip(String name, String suffix) {
    return name.substring(0, name.length() - suffix.length());
  }
}
