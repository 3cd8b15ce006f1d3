package io.kubeobserve.agent.kubelet;

/** A {@code /stats/summary} response that is not JSON or lacks what the mapping needs. */
public final class StatsSummaryFormatException extends Exception {

  StatsSummaryFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
