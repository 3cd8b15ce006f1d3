package io.kubeobserve.devstack.cluster.scenario;

import java.time.Duration;

/**
 * The kubelet's container restart back-off (pkg/kubelet/kuberuntime: 10 s initial, doubling per
 * crash, at most 5 minutes).
 */
final class KubeletBackOff {

  static final Duration INITIAL = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(5);

  private KubeletBackOff() {}

  /** The back-off after a container that had restarted {@code restartsBefore} times dies again. */
  static Duration after(int restartsBefore) {
    Duration delay = INITIAL.multipliedBy(1L << Math.min(restartsBefore, 5));
    return delay.compareTo(MAX) > 0 ? MAX : delay;
  }
}
