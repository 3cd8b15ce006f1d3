package io.kubeobserve.alerts.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeobserve.alerts.notify.Notification.Kind;
import io.kubeobserve.alerts.notify.ReceiverConfig.Type;
import io.kubeobserve.alerts.notify.SendResult.Outcome;
import io.kubeobserve.core.config.Secret;
import io.kubeobserve.devstack.prometheus.LocalAlertmanager;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our alerts go through a real Alertmanager (0.25, Debian's package): posted to its API v2, they
 * reach its own webhook receiver firing and then resolved, and our generic webhook's JSON has the
 * same structure, labels and annotations as what Alertmanager itself sends.
 */
class AlertmanagerIT {

  private final HttpClient http = Notifiers.httpClient(Duration.ofSeconds(2));
  private RecordingReceiver webhook;
  private LocalAlertmanager alertmanager;

  @BeforeEach
  void startAlertmanager() {
    webhook = new RecordingReceiver();
    alertmanager = LocalAlertmanager.start("""
        route:
          receiver: recorder
          group_by: [alertname]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: recorder
            webhook_configs:
              - url: %s
                send_resolved: true
        """.formatted(webhook.url("/alertmanager-webhook")));
  }

  @AfterEach
  void stop() {
    if (alertmanager != null) {
      alertmanager.close();
    }
    webhook.close();
  }

  @Test
  void alertsSentThroughTheApiReachAlertmanagersWebhookFiringThenResolved() {
    Instant started = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
    Instant ended = started.plusSeconds(55);
    Notifier notifier = Notifiers.create(new ReceiverConfig("ops-alertmanager", Type.ALERTMANAGER,
        Secret.of(alertmanager.url())), http, Clock.systemUTC());

    assertThat(notifier.send(oomKill(Kind.FIRING, started, ended)).outcome()).isEqualTo(Outcome.DELIVERED);
    JsonNode firing = awaitWebhook("firing");
    assertThat(alertmanager.alerts()).singleElement().satisfies(held -> {
      assertThat(held.labels()).containsEntry("namespace", "shop");
      assertThat(held.state()).isEqualTo("active");
    });
    assertThat(notifier.send(oomKill(Kind.RESOLVED, started, ended)).outcome()).isEqualTo(Outcome.DELIVERED);
    JsonNode resolved = awaitWebhook("resolved");

    JsonNode alert = firing.path("alerts").path(0);
    assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("OOMKilled");
    assertThat(alert.path("labels").path("pod").asText()).isEqualTo("cart-7d9f-x2k4q");
    assertThat(alert.path("annotations").path("exit_code").asText()).isEqualTo("137");
    assertThat(Instant.parse(alert.path("startsAt").asText())).isEqualTo(started);
    assertThat(Instant.parse(resolved.path("alerts").path(0).path("endsAt").asText())).isEqualTo(ended);
    assertThat(alertmanager.alerts()).as("active alerts once resolved").isEmpty();
  }

  @Test
  void ourWebhookJsonParsesTheSameAsAlertmanagersOwn() {
    Instant started = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
    Notification notification = oomKill(Kind.FIRING, started, started);
    Notifiers.create(new ReceiverConfig("ops-alertmanager", Type.ALERTMANAGER, Secret.of(alertmanager.url())), http,
        Clock.systemUTC()).send(notification);
    JsonNode theirs = awaitWebhook("firing");

    JsonNode ours = Payloads.parse(RenderedNotifier.payload(new WebhookPayload("recorder"), notification));

    assertThat(JsonShape.of(ours, Payloads.MAPS)).isEqualTo(JsonShape.of(theirs, Payloads.MAPS));
    for (String field : List.of("receiver", "status", "version", "groupLabels", "commonLabels", "commonAnnotations")) {
      assertThat(ours.path(field)).as(field).isEqualTo(theirs.path(field));
    }
    for (String field : List.of("status", "labels", "annotations", "startsAt", "endsAt")) {
      assertThat(Payloads.parse(ours.path("alerts").path(0).path(field).toString()))
          .as("alerts[0]." + field).isEqualTo(theirs.path("alerts").path(0).path(field));
    }
  }

  private JsonNode awaitWebhook(String status) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> webhook.requests().stream()
            .map(request -> Payloads.parse(request.body()))
            .filter(body -> status.equals(body.path("status").asText()))
            .findFirst(),
        Optional::isPresent).orElseThrow();
  }

  private static Notification oomKill(Kind kind, Instant started, Instant ended) {
    Notification template = TestNotifications.oomKill(kind);
    return new Notification(template.fingerprint(), kind, template.rule(), template.severity(), template.title(),
        template.summary(), template.labels(), template.details(), started,
        kind == Kind.RESOLVED ? Optional.of(ended) : Optional.empty(), template.members(),
        template.lastLogLines(), template.links());
  }
}
