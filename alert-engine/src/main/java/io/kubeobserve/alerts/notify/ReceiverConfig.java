package io.kubeobserve.alerts.notify;

import io.kubeobserve.core.config.InvalidValueException;
import io.kubeobserve.core.config.Secret;
import io.kubeobserve.core.config.Validate;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A chat or webhook destination ({@code receivers[n]}); its URL is a secret and never printed. The
 * optional keys fall back to the defaults documented in {@code alerts-defaults.yaml} (the constants
 * below).
 *
 * @param name how logs and meters call the receiver
 * @param type the service, which decides the payload format
 * @param url the webhook URL (for {@link Type#ALERTMANAGER}: Alertmanager's base URL, to which
 *     {@code /api/v2/alerts} is appended unless the URL already ends with it)
 * @param timeout how long one request may take, connection included
 * @param initialBackoff the first wait before a retry, doubled on each further retry
 * @param maxBackoff the longest wait between two attempts (a {@code Retry-After} may ask for more)
 * @param maxElapsed how long one notification is retried before it counts as failed
 * @param ratePerSecond requests per second the receiver gets at most, on average
 * @param burst requests the receiver may get at once after a quiet period
 * @param channel Mattermost only: the channel to post to instead of the webhook's own
 * @param username Mattermost only: the name to post as instead of the webhook's own
 * @param activeFor Alertmanager only: how long Alertmanager keeps a firing alert active without a
 *     re-send (its {@code endsAt}); must be longer than the engine's repeat interval
 */
public record ReceiverConfig(
    String name, Type type, Secret url, Optional<Duration> timeout, Optional<Duration> initialBackoff,
    Optional<Duration> maxBackoff, Optional<Duration> maxElapsed, Optional<Double> ratePerSecond,
    Optional<Integer> burst, Optional<String> channel, Optional<String> username,
    Optional<Duration> activeFor) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_ELAPSED = Duration.ofMinutes(10);
  public static final double DEFAULT_RATE_PER_SECOND = 1.0;
  public static final int DEFAULT_BURST = 5;
  public static final Duration DEFAULT_ACTIVE_FOR = Duration.ofHours(6);

  public ReceiverConfig {
    Validate.notBlank("name", name);
    endpoint(type, url);
    timeout.ifPresent(value -> Validate.positive("timeout", value));
    initialBackoff.ifPresent(value -> Validate.positive("initialBackoff", value));
    maxBackoff.ifPresent(value -> Validate.positive("maxBackoff", value));
    maxElapsed.ifPresent(value -> Validate.positive("maxElapsed", value));
    activeFor.ifPresent(value -> Validate.positive("activeFor", value));
    burst.ifPresent(value -> Validate.atLeast("burst", 1, value));
    ratePerSecond.ifPresent(value -> {
      if (!(value > 0) || value.isInfinite()) {
        throw new InvalidValueException("ratePerSecond", "expected a number of requests per second > 0, got " + value);
      }
    });
    if (initialBackoff.orElse(DEFAULT_INITIAL_BACKOFF).compareTo(maxBackoff.orElse(DEFAULT_MAX_BACKOFF)) > 0) {
      throw new InvalidValueException("initialBackoff", "expected at most maxBackoff ("
          + maxBackoff.orElse(DEFAULT_MAX_BACKOFF) + "), got " + initialBackoff.orElseThrow());
    }
    onlyFor(Type.MATTERMOST, type, "channel", channel);
    onlyFor(Type.MATTERMOST, type, "username", username);
    onlyFor(Type.ALERTMANAGER, type, "activeFor", activeFor);
  }

  /** A receiver with every optional key at its default. */
  public ReceiverConfig(String name, Type type, Secret url) {
    this(name, type, url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The services a receiver can be. */
  public enum Type { SLACK, TEAMS, DISCORD, GOOGLECHAT, MATTERMOST, WEBHOOK, ALERTMANAGER }

  /** Where requests go: the URL, or for Alertmanager its alerts endpoint. */
  URI endpoint() {
    return endpoint(type, url);
  }

  private static URI endpoint(Type type, Secret url) {
    String problem = "expected an absolute http:// or https:// URL (not shown: it is a secret)";
    URI uri;
    try {
      uri = new URI(url.reveal().strip());
    } catch (URISyntaxException e) {
      throw new InvalidValueException("url", problem);
    }
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new InvalidValueException("url", problem);
    }
    if (type != Type.ALERTMANAGER || uri.getPath().endsWith("/api/v2/alerts")) {
      return uri;
    }
    String base = uri.toString().replaceAll("/+$", "");
    return URI.create(base + "/api/v2/alerts");
  }

  private static void onlyFor(Type wanted, Type type, String key, Optional<?> value) {
    if (value.isPresent() && type != wanted) {
      throw new InvalidValueException(key, "expected only on a receiver of type "
          + wanted.name().toLowerCase(Locale.ROOT) + ", this one is " + type.name().toLowerCase(Locale.ROOT));
    }
  }
}
