package io.kubeobserve.alerts.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to one receiver: paces requests with a token bucket, retries what is
 * worth retrying with exponential backoff and jitter, waits as long as a {@code Retry-After} asks,
 * and gives up after the policy's {@code maxElapsed}. {@link #deliver} blocks until the outcome is
 * known; it is safe to call from several threads.
 *
 * <p>Meters, tagged with the receiver's name: {@code kube_observe.alerts.notifications} (counter,
 * {@code result} = {@code sent}, {@code failed} after the last retry, or {@code rejected} by the
 * receiver), {@code kube_observe.alerts.notification.attempts} (counter of requests, {@code
 * outcome} = {@code delivered}, {@code retry}, {@code rejected}) and {@code
 * kube_observe.alerts.notification.latency} (timer of each request). Logs name the receiver, never
 * its URL.
 */
public final class Delivery {

  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  private final Notifier notifier;
  private final DeliveryPolicy policy;
  private final Clock clock;
  private final Sleeper sleeper;
  private final TokenBucket rateLimit;
  private final Counter sent;
  private final Counter failed;
  private final Counter rejected;
  private final Map<SendResult.Outcome, Counter> attempts = new EnumMap<>(SendResult.Outcome.class);
  private final Timer latency;

  public Delivery(Notifier notifier, DeliveryPolicy policy, MeterRegistry registry, Clock clock, Sleeper sleeper) {
    this.notifier = notifier;
    this.policy = policy;
    this.clock = clock;
    this.sleeper = sleeper;
    this.rateLimit = new TokenBucket(policy.ratePerSecond(), policy.burst(), clock);
    this.sent = notifications(registry, notifier.receiver(), "sent");
    this.failed = notifications(registry, notifier.receiver(), "failed");
    this.rejected = notifications(registry, notifier.receiver(), "rejected");
    for (SendResult.Outcome outcome : SendResult.Outcome.values()) {
      attempts.put(outcome, Counter.builder("kube_observe.alerts.notification.attempts")
          .description("requests to a receiver, by outcome")
          .tag("receiver", notifier.receiver())
          .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
          .register(registry));
    }
    this.latency = Timer.builder("kube_observe.alerts.notification.latency")
        .description("time of one request to a receiver")
        .tag("receiver", notifier.receiver())
        .register(registry);
  }

  /** The delivery of a configured receiver, on the system clock. */
  public static Delivery create(ReceiverConfig receiver, HttpClient http, MeterRegistry registry) {
    Clock clock = Clock.systemUTC();
    return new Delivery(Notifiers.create(receiver, http, clock), DeliveryPolicy.of(receiver), registry, clock,
        Sleeper.SYSTEM);
  }

  /** The receiver's name. */
  public String receiver() {
    return notifier.receiver();
  }

  /**
   * Sends {@code notification}, retrying until it is delivered, rejected, or {@code maxElapsed}
   * has passed (then the result is {@link SendResult.Outcome#RETRY}: not delivered, the caller may
   * try again later). When interrupted, returns {@code RETRY} at once with the interrupt flag set.
   */
  public SendResult deliver(Notification notification) {
    Instant start = clock.instant();
    Duration backoff = policy.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      if (!pause(rateLimit.reserve())) {
        return interrupted(notification, attempt - 1);
      }
      long requestStart = System.nanoTime();
      SendResult result = notifier.send(notification);
      latency.record(Duration.ofNanos(System.nanoTime() - requestStart));
      attempts.get(result.outcome()).increment();
      if (result.outcome() == SendResult.Outcome.RETRY && Thread.currentThread().isInterrupted()) {
        return interrupted(notification, attempt);
      }
      switch (result.outcome()) {
        case DELIVERED -> {
          sent.increment();
          LOG.debug("{} notification of incident {} delivered to receiver {} (attempt {})",
              notification.kind(), notification.fingerprint(), receiver(), attempt);
          return result;
        }
        case REJECTED -> {
          rejected.increment();
          LOG.warn("receiver {} rejected the {} notification of incident {} ({}): {}", receiver(),
              notification.kind(), notification.fingerprint(), notification.rule(), result.detail());
          return result;
        }
        case RETRY -> {
          Duration wait = result.retryAfter().orElse(jittered(backoff));
          Duration elapsed = Duration.between(start, clock.instant());
          if (elapsed.plus(wait).compareTo(policy.maxElapsed()) > 0) {
            failed.increment();
            LOG.warn("giving up on the {} notification of incident {} to receiver {} after {} attempt(s) in {} s: {}",
                notification.kind(), notification.fingerprint(), receiver(), attempt, elapsed.toSeconds(),
                result.detail());
            return SendResult.retry("gave up after " + attempt + " attempt(s): " + result.detail(), Optional.empty());
          }
          LOG.info("receiver {} did not take the {} notification of incident {} ({}); retrying in {} ms",
              receiver(), notification.kind(), notification.fingerprint(), result.detail(), wait.toMillis());
          if (!pause(wait)) {
            return interrupted(notification, attempt);
          }
          backoff = min(backoff.multipliedBy(2), policy.maxBackoff());
        }
      }
    }
  }

  private static Counter notifications(MeterRegistry registry, String receiver, String result) {
    return Counter.builder("kube_observe.alerts.notifications")
        .description("notifications by final result: sent, failed after retries, rejected by the receiver")
        .tag("receiver", receiver)
        .tag("result", result)
        .register(registry);
  }

  private boolean pause(Duration duration) {
    try {
      sleeper.sleep(duration);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private SendResult interrupted(Notification notification, int attempts) {
    LOG.info("delivery of the {} notification of incident {} to receiver {} interrupted after {} attempt(s)",
        notification.kind(), notification.fingerprint(), receiver(), attempts);
    return SendResult.retry("interrupted", Optional.empty());
  }

  /** Between half and all of {@code backoff}, so that receivers recovering are not hit in step. */
  private static Duration jittered(Duration backoff) {
    long half = backoff.toMillis() / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
