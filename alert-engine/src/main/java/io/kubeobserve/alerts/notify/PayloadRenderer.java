package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a notification into one service's JSON payload, escaping and truncating text from the
 * cluster to that service's markup and limits. Per-part limits hold by construction; {@link
 * #fits} checks the whole-message ones, and {@link RenderedNotifier} renders again with a smaller
 * {@link Budget} until they hold.
 */
interface PayloadRenderer {

  /** The payload, each part within {@code budget}. */
  JsonNode render(Notification notification, Budget budget);

  /** Whether {@code payload} (serialised as {@code json}) respects the service's message limits. */
  boolean fits(JsonNode payload, String json);
}
