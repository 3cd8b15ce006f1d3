package io.kubeobserve.agent.kubelet;

import java.util.Locale;

/**
 * A scrape of a kubelet endpoint that produced nothing, with the reason it is counted under in
 * {@code kube_observe.agent.kubelet.scrape.errors}.
 */
public final class KubeletScrapeException extends Exception {

  /** Why a scrape failed; {@link #tag()} is the meter tag. */
  public enum Reason {
    /** No complete response within {@code kubelet.timeout}. */
    TIMEOUT,
    /** 401 or 403: the token is missing, wrong, expired or lacks {@code nodes/metrics}, {@code nodes/stats} or {@code nodes/proxy}. */
    UNAUTHORIZED,
    /** Another status than 200. */
    HTTP_STATUS,
    /** A body larger than {@code kubelet.maxResponseBytes}. */
    TOO_LARGE,
    /** The TLS handshake failed: most often a certificate not signed by a trusted CA. */
    TLS,
    /** The connection could not be made or broke. */
    CONNECTION,
    /** The body is not what the endpoint serves: bad JSON, wrong types, malformed exposition. */
    MALFORMED;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  public KubeletScrapeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public KubeletScrapeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
