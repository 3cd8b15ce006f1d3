package io.kubeobserve.alerts.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A notification as an Alertmanager alert's labels and annotations, shared by the generic webhook
 * (Alertmanager's webhook format) and the Alertmanager API. Labels are the notification's, with
 * {@code alertname} and {@code severity} always set and empty values left out (Alertmanager treats
 * them as absent). Annotations: {@code title}, {@code summary}, {@code fingerprint}, each detail
 * under its name in snake case ({@code Exit code} → {@code exit_code}), {@code members}, {@code
 * last_log_lines} and {@code link_<name>}. Values are plain text, cut to bounded sizes.
 */
final class AlertFields {

  private static final int VALUE = 1024;
  private static final int LIST = 8192;
  private static final int LINE = 1000;

  private AlertFields() {}

  static Map<String, String> labels(Notification notification) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Notification.Labels.ALERTNAME, notification.rule());
    labels.put(Notification.Labels.SEVERITY, notification.severity().name().toLowerCase(Locale.ROOT));
    notification.labels().forEach((key, value) -> {
      if (!value.isEmpty()) {
        labels.put(snakeCase(key), Text.truncate(value, VALUE));
      }
    });
    return labels;
  }

  static Map<String, String> annotations(Notification notification) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("title", Text.truncate(notification.title(), VALUE));
    annotations.put("summary", Text.truncate(notification.summary(), VALUE));
    annotations.put("fingerprint", Text.truncate(notification.fingerprint(), VALUE));
    notification.details().forEach((name, value) -> annotations.putIfAbsent(snakeCase(name), Text.truncate(value, VALUE)));
    putList(annotations, "members", notification.members());
    putList(annotations, "last_log_lines", notification.lastLogLines());
    for (Notification.Link link : notification.links()) {
      annotations.putIfAbsent("link_" + snakeCase(link.name()), link.url().toASCIIString());
    }
    return annotations;
  }

  static void putAll(ObjectNode object, Map<String, String> values) {
    values.forEach(object::put);
  }

  /** A valid Alertmanager label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  static String snakeCase(String name) {
    String snake = name.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
    return snake.isEmpty() || Character.isDigit(snake.charAt(0)) ? "_" + snake : snake;
  }

  private static void putList(Map<String, String> annotations, String key, List<String> lines) {
    if (!lines.isEmpty()) {
      annotations.put(key, Text.tail(lines, Markup.PLAIN, LINE, LIST));
    }
  }
}
