package io.kubeobserve.alerts.notify;

/**
 * Sends a notification to one receiver in one attempt. Retries, backoff and rate limits are the
 * caller's ({@link Delivery}); a notifier only renders and posts, and says how it went.
 */
public interface Notifier {

  /** The receiver's name from the configuration (for meters and logs; never its URL). */
  String receiver();

  /** One attempt; never throws for a failed delivery, it answers with the outcome. */
  SendResult send(Notification notification);
}
