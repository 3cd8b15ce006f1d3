package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A notifier that renders with a service's {@link PayloadRenderer} and posts with {@link
 * HttpPoster}: the one notifier class behind every receiver type.
 */
final class RenderedNotifier implements Notifier {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String receiver;
  private final PayloadRenderer renderer;
  private final HttpPoster poster;

  RenderedNotifier(String receiver, PayloadRenderer renderer, HttpPoster poster) {
    this.receiver = receiver;
    this.renderer = renderer;
    this.poster = poster;
  }

  @Override
  public String receiver() {
    return receiver;
  }

  @Override
  public SendResult send(Notification notification) {
    String payload;
    try {
      payload = payload(renderer, notification);
    } catch (RuntimeException e) {
      return SendResult.rejected("cannot render the notification: " + e);
    }
    return poster.post(payload);
  }

  /**
   * The payload of {@code notification} as JSON: at the largest {@link Budget} whose rendering
   * respects the service's message limits.
   *
   * @throws IllegalStateException when even the smallest rendering does not
   */
  static String payload(PayloadRenderer renderer, Notification notification) {
    for (int level = 0; level < Budget.LEVELS; level++) {
      JsonNode rendered = renderer.render(notification, new Budget(level));
      String json = write(rendered);
      if (renderer.fits(rendered, json)) {
        return json;
      }
    }
    throw new IllegalStateException("the payload exceeds the service's limits even at its smallest");
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  @Override
  public String toString() {
    return "RenderedNotifier[" + receiver + "]";
  }
}
