/**
 * Notifiers: each incident message rendered for its receiver's service (Slack, Microsoft Teams,
 * Discord, Google Chat, Mattermost, Alertmanager's webhook format, Alertmanager's API), with text
 * from the cluster escaped and truncated to that service's markup and limits, and delivered with
 * retries, backoff, {@code Retry-After} and a rate limit per receiver.
 *
 * <p>Entry points: {@link io.kubeobserve.alerts.notify.Notifiers#create} (one attempt, {@link
 * io.kubeobserve.alerts.notify.Notifier}) and {@link io.kubeobserve.alerts.notify.Delivery}
 * (blocking, retried). Receiver URLs are secrets: no log line, result or meter holds one.
 */
package io.kubeobserve.alerts.notify;
