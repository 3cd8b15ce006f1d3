package io.kubeobserve.adapter.store;

import java.util.Locale;

/** Why a sample was not stored; the {@code reason} tag of {@code kube_observe.adapter.samples.rejected}. */
enum RejectReason {
  /** Older than the series' latest sample. */
  OUT_OF_ORDER,
  /** A counter lower than before with the same known start time: not a real reset. */
  COUNTER_REGRESSION,
  /** Its series was refused by the cardinality guard. */
  CARDINALITY,
  /** A label or value the exposition cannot hold (invalid label name, negative counter, ...). */
  INVALID,
  /** Its metric cannot be exposed (delta temporality, exponential histogram, reserved name, type conflict). */
  UNSUPPORTED;

  String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
