package io.kubeobserve.alerts.incident;

import java.util.Map;

/** Label matching shared by routes and silences: every matcher's value must equal the label's. */
public final class Matchers {

  private Matchers() {}

  public static boolean matchAll(Map<String, String> matchers, Map<String, String> labels) {
    for (Map.Entry<String, String> matcher : matchers.entrySet()) {
      if (!matcher.getValue().equals(labels.get(matcher.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
