package io.kubeobserve.alerts.notify;

import io.kubeobserve.alerts.notify.RecordingReceiver.Response;
import io.kubeobserve.core.config.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Runs deliveries through every outcome that logs (retried 429 and 5xx, a rejection whose body
 * echoes the URL, a timeout, a receiver that stays down until {@code maxElapsed}), for {@link
 * DeliveryLogIT}, which reads the logs. Prints the receiver's secret URL first, as {@code URL
 * <url>}, so the test knows what must not appear.
 */
public final class LoggedDeliveries {

  private LoggedDeliveries() {}

  public static void main(String[] arguments) {
    FastTime time = new FastTime(1000);
    HttpClient http = Notifiers.httpClient(Duration.ofSeconds(1));
    Notification notification = TestNotifications.oomKill(Notification.Kind.FIRING);
    try (RecordingReceiver receiver = new RecordingReceiver()) {
      String url = receiver.url("/services/T0001/B0001/XXXXSECRETXXXX").toString();
      System.out.println("URL " + url);
      ReceiverConfig config = new ReceiverConfig("team-slack", ReceiverConfig.Type.SLACK, Secret.of(url),
          Optional.of(Duration.ofMillis(500)), Optional.empty(), Optional.empty(), Optional.of(Duration.ofMinutes(2)),
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
      Delivery delivery = new Delivery(Notifiers.create(config, http, time.clock()), DeliveryPolicy.of(config),
          new SimpleMeterRegistry(), time.clock(), time);
      receiver.script(new Response(429, Map.of("Retry-After", "1"), "slow down " + url, 0),
          Response.of(503, "unavailable at " + url), new Response(200, Map.of(), "late", 1_500));
      report(delivery.deliver(notification));
      receiver.script(Response.of(404, "no such hook: " + url));
      report(delivery.deliver(notification));
      receiver.stop();
      report(delivery.deliver(notification));
    }
  }

  private static void report(SendResult result) {
    System.out.println("RESULT " + result.outcome() + " " + result.detail());
  }
}
