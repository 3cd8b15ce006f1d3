package io.kubeobserve.alerts.notify;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/** Builds the notifier of a configured receiver, for its type. */
public final class Notifiers {

  private Notifiers() {}

  /**
   * An HTTP client for notifiers: HTTP/1.1 and 2, no redirects (a webhook that redirects is
   * misconfigured), {@code connectTimeout} to connect. One client serves every receiver.
   */
  public static HttpClient httpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * The notifier of {@code receiver}: renders its service's payload and posts it with {@code http},
   * each request within the receiver's {@code timeout}.
   *
   * @param clock for {@code Retry-After} dates and Alertmanager's {@code endsAt}
   */
  public static Notifier create(ReceiverConfig receiver, HttpClient http, Clock clock) {
    HttpPoster poster = new HttpPoster(http, receiver.endpoint(),
        receiver.timeout().orElse(ReceiverConfig.DEFAULT_TIMEOUT), clock);
    return new RenderedNotifier(receiver.name(), renderer(receiver, clock), poster);
  }

  static PayloadRenderer renderer(ReceiverConfig receiver, Clock clock) {
    return switch (receiver.type()) {
      case SLACK -> new SlackPayload();
      case TEAMS -> new TeamsPayload();
      case DISCORD -> new DiscordPayload();
      case GOOGLECHAT -> new GoogleChatPayload();
      case MATTERMOST -> new MattermostPayload(receiver.channel(), receiver.username());
      case WEBHOOK -> new WebhookPayload(receiver.name());
      case ALERTMANAGER -> new AlertmanagerPayload(
          receiver.activeFor().orElse(ReceiverConfig.DEFAULT_ACTIVE_FOR), clock);
    };
  }
}
