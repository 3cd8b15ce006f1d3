package io.kubeobserve.devstack.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.junit.WithPrometheus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@WithPrometheus
class LocalAlertmanagerIT {

  @Test
  void readsBackAnAlertPostedToTheV2Api(LocalAlertmanager alertmanager) throws Exception {
    String alert =
        """
        [{"labels": {"alertname": "DevstackItAlert", "severity": "warning", "namespace": "shop"},
          "annotations": {"summary": "posted by LocalAlertmanagerIT"}}]
        """;
    HttpResponse<String> posted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(alertmanager.url() + "/api/v2/alerts"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(alert))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(posted.statusCode()).isEqualTo(200);

    List<LocalAlertmanager.Alert> alerts =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> alertsNamed(alertmanager, "DevstackItAlert"),
                found -> !found.isEmpty() && found.get(0).state().equals("active"));
    assertThat(alerts)
        .singleElement()
        .satisfies(
            found -> {
              assertThat(found.labels())
                  .containsEntry("severity", "warning")
                  .containsEntry("namespace", "shop");
              assertThat(found.annotations())
                  .containsEntry("summary", "posted by LocalAlertmanagerIT");
              assertThat(found.receivers()).containsExactly("devstack");
              assertThat(found.startsAt()).isNotNull();
              assertThat(found.endsAt()).isAfter(found.startsAt());
            });
  }

  @Test
  void postsAlertsItself(LocalAlertmanager alertmanager) {
    alertmanager.postAlert(
        Map.of("alertname", "DevstackItOwnAlert", "severity", "critical"),
        Map.of("description", "posted through LocalAlertmanager"));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> alertsNamed(alertmanager, "DevstackItOwnAlert"), found -> found.size() == 1);
  }

  private static List<LocalAlertmanager.Alert> alertsNamed(
      LocalAlertmanager alertmanager, String name) {
    return alertmanager.alerts().stream()
        .filter(alert -> name.equals(alert.labels().get("alertname")))
        .toList();
  }
}
