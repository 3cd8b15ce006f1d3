package io.kubeobserve.core.contract;

/** A record value that is not what its topic's contract says; consumers dead-letter such records. */
public final class RecordDecodeException extends Exception {

  public RecordDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
