package io.kubeobserve.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.alerts.notify.RecordingReceiver.Request;
import io.kubeobserve.alerts.notify.RecordingReceiver.Response;
import io.kubeobserve.alerts.notify.SendResult.Outcome;
import io.kubeobserve.core.config.Secret;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Delivery} against a real HTTP receiver on loopback that records what it gets: retries,
 * {@code Retry-After}, rejections, a receiver down for two minutes, the rate limit, and the URL
 * kept secret.
 */
class DeliveryIT {

  private static final String SECRET_PATH = "/services/T0001/B0001/XXXXSECRETXXXX";

  private final HttpClient http = Notifiers.httpClient(Duration.ofSeconds(2));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingReceiver receiver = new RecordingReceiver();
  private final Notification notification = TestNotifications.oomKill(Notification.Kind.FIRING);

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void retryAfterOf429IsHonoured() {
    receiver.script(new Response(429, Map.of("Retry-After", "2"), "rate limited", 0));
    Delivery delivery = delivery(config(Optional.of(Duration.ofMillis(100)), Optional.empty()), Clock.systemUTC(),
        Sleeper.SYSTEM);

    SendResult result = delivery.deliver(notification);

    assertThat(result.outcome()).isEqualTo(Outcome.DELIVERED);
    List<Request> requests = receiver.requests();
    assertThat(requests).hasSize(2);
    assertThat(gapMillis(requests, 0)).as("wait after 429 with Retry-After: 2").isBetween(2_000L, 3_500L);
    assertThat(count("kube_observe.alerts.notification.attempts", "outcome", "retry")).isEqualTo(1);
    assertThat(count("kube_observe.alerts.notifications", "result", "sent")).isEqualTo(1);
  }

  @Test
  void serverErrorsAreRetriedWithGrowingBackoff() {
    receiver.script(Response.of(500, "boom"), Response.of(502, "bad gateway"), Response.of(503, "unavailable"));
    Delivery delivery = delivery(config(Optional.of(Duration.ofMillis(400)), Optional.of(Duration.ofSeconds(5))),
        Clock.systemUTC(), Sleeper.SYSTEM);

    SendResult result = delivery.deliver(notification);

    assertThat(result.outcome()).isEqualTo(Outcome.DELIVERED);
    List<Request> requests = receiver.requests();
    assertThat(requests).hasSize(4);
    assertThat(gapMillis(requests, 0)).as("first backoff, 200..400 ms").isBetween(200L, 900L);
    assertThat(gapMillis(requests, 1)).as("second backoff, 400..800 ms").isBetween(400L, 1_300L);
    assertThat(gapMillis(requests, 2)).as("third backoff, 800..1600 ms").isBetween(800L, 2_100L);
    assertThat(count("kube_observe.alerts.notification.attempts", "outcome", "retry")).isEqualTo(3);
    assertThat(count("kube_observe.alerts.notification.attempts", "outcome", "delivered")).isEqualTo(1);
  }

  @Test
  void badRequestIsRejectedWithoutRetry() {
    receiver.script(Response.of(400, "invalid_payload"));
    Delivery delivery = delivery(config(Optional.of(Duration.ofMillis(50)), Optional.empty()), Clock.systemUTC(),
        Sleeper.SYSTEM);

    SendResult result = delivery.deliver(notification);

    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.detail()).isEqualTo("HTTP 400: invalid_payload");
    assertThat(receiver.requests()).hasSize(1);
    assertThat(count("kube_observe.alerts.notifications", "result", "rejected")).isEqualTo(1);
    assertThat(count("kube_observe.alerts.notifications", "result", "sent")).isZero();
  }

  @Test
  void receiverDownForTwoMinutesGetsTheNotificationOnceItIsBack() {
    FastTime time = new FastTime(60);
    Delivery delivery = delivery(config(Optional.empty(), Optional.empty()), time.clock(), time);
    receiver.stop();

    CompletableFuture<SendResult> result = CompletableFuture.supplyAsync(() -> delivery.deliver(notification));
    await().atMost(Duration.ofSeconds(30)).until(() -> time.elapsed().compareTo(Duration.ofMinutes(2)) >= 0);
    assertThat(result).isNotDone();
    receiver.start();

    assertThat(result.join().outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(receiver.requests()).hasSize(1);
    assertThat(count("kube_observe.alerts.notification.attempts", "outcome", "retry")).isGreaterThanOrEqualTo(5);
    assertThat(count("kube_observe.alerts.notifications", "result", "sent")).isEqualTo(1);
    assertThat(Payloads.parse(receiver.requests().get(0).body()).at("/blocks/0/text/text").asText())
        .contains("OOMKilled: shop/cart-7d9f-x2k4q/cart");
  }

  @Test
  void receiverDownLongerThanMaxElapsedCountsAsFailed() {
    FastTime time = new FastTime(1000);
    Delivery delivery = delivery(config(Optional.empty(), Optional.empty()), time.clock(), time);
    receiver.stop();

    SendResult result = delivery.deliver(notification);

    assertThat(result.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(result.detail()).startsWith("gave up after ");
    assertThat(time.elapsed()).isBetween(Duration.ofMinutes(9), Duration.ofMinutes(10));
    assertThat(count("kube_observe.alerts.notifications", "result", "failed")).isEqualTo(1);
  }

  @Test
  void rateLimitSpacesRequests() {
    ReceiverConfig config = new ReceiverConfig("paced", ReceiverConfig.Type.SLACK,
        Secret.of(receiver.url(SECRET_PATH).toString()), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(5.0), Optional.of(2), Optional.empty(), Optional.empty(), Optional.empty());
    Delivery delivery = delivery(config, Clock.systemUTC(), Sleeper.SYSTEM);

    for (int i = 0; i < 6; i++) {
      assertThat(delivery.deliver(notification).outcome()).isEqualTo(Outcome.DELIVERED);
    }

    List<Request> requests = receiver.requests();
    assertThat(requests).hasSize(6);
    assertThat(gapMillis(requests, 0)).as("burst of 2").isLessThan(150L);
    for (int i = 1; i < 5; i++) {
      assertThat(gapMillis(requests, i)).as("gap after request %d at 5/s", i + 1).isBetween(150L, 600L);
    }
  }

  @Test
  void theUrlNeverAppearsInResultsMetersOrConfiguration() {
    ReceiverConfig config = config(Optional.of(Duration.ofMillis(50)), Optional.empty());
    Notifier notifier = Notifiers.create(config, http, Clock.systemUTC());
    Delivery delivery = delivery(config, Clock.systemUTC(), Sleeper.SYSTEM);
    receiver.script(Response.of(404, "no such hook: " + SECRET_PATH + " at " + receiver.url(SECRET_PATH)),
        new Response(500, Map.of(), "slow", 1_500));
    ReceiverConfig impatient = new ReceiverConfig("impatient", ReceiverConfig.Type.SLACK,
        Secret.of(receiver.url(SECRET_PATH).toString()), Optional.of(Duration.ofMillis(500)), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());

    SendResult notFound = delivery.deliver(notification);
    SendResult timedOut = Notifiers.create(impatient, http, Clock.systemUTC()).send(notification);
    receiver.stop();
    SendResult refused = notifier.send(notification);

    assertThat(notFound.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(notFound.detail()).startsWith("HTTP 404: no such hook:");
    assertThat(timedOut.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(refused.outcome()).isEqualTo(Outcome.RETRY);
    assertThat(registry.getMeters()).isNotEmpty();
    for (String text : List.of(notFound.detail(), timedOut.detail(), refused.detail(), config.toString(),
        notifier.toString(), registry.getMeters().stream().map(Meter::getId).toList().toString())) {
      assertThat(text).doesNotContain("SECRET", "127.0.0.1");
    }
  }

  private ReceiverConfig config(Optional<Duration> initialBackoff, Optional<Duration> maxBackoff) {
    return new ReceiverConfig("team-slack", ReceiverConfig.Type.SLACK, Secret.of(receiver.url(SECRET_PATH).toString()),
        Optional.empty(), initialBackoff, maxBackoff, Optional.empty(), Optional.of(1000.0), Optional.of(1000),
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  private Delivery delivery(ReceiverConfig config, Clock clock, Sleeper sleeper) {
    return new Delivery(Notifiers.create(config, http, clock), DeliveryPolicy.of(config), registry, clock, sleeper);
  }

  private static long gapMillis(List<Request> requests, int index) {
    return (requests.get(index + 1).receivedNanos() - requests.get(index).receivedNanos()) / 1_000_000;
  }

  private double count(String meter, String tag, String value) {
    return registry.get(meter).tag(tag, value).counter().count();
  }
}
