package io.kubeobserve.core.kafka;

/** Kafka could not be reached, or did not answer, within a deadline. */
public final class KafkaUnavailableException extends RuntimeException {

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
