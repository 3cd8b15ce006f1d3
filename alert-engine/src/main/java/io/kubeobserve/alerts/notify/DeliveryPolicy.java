package io.kubeobserve.alerts.notify;

import java.time.Duration;

/**
 * How {@link Delivery} retries and paces one receiver: exponential backoff from {@code
 * initialBackoff} doubling up to {@code maxBackoff} (each wait drawn between half and all of it),
 * giving up once {@code maxElapsed} has passed; at most {@code ratePerSecond} requests per second
 * on average, {@code burst} at once.
 */
public record DeliveryPolicy(
    Duration initialBackoff, Duration maxBackoff, Duration maxElapsed, double ratePerSecond, int burst) {

  /** The policy of a configured receiver, its unset keys at their defaults. */
  public static DeliveryPolicy of(ReceiverConfig receiver) {
    return new DeliveryPolicy(
        receiver.initialBackoff().orElse(ReceiverConfig.DEFAULT_INITIAL_BACKOFF),
        receiver.maxBackoff().orElse(ReceiverConfig.DEFAULT_MAX_BACKOFF),
        receiver.maxElapsed().orElse(ReceiverConfig.DEFAULT_MAX_ELAPSED),
        receiver.ratePerSecond().orElse(ReceiverConfig.DEFAULT_RATE_PER_SECOND),
        receiver.burst().orElse(ReceiverConfig.DEFAULT_BURST));
  }
}
