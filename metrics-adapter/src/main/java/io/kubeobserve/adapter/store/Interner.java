package io.kubeobserve.adapter.store;

import java.util.HashMap;
import java.util.Map;

/**
 * Shares equal label strings between series: a container's labels repeat in every cAdvisor family.
 * Bounded: when full it starts again (series keep their strings; only sharing with later ones is lost).
 */
final class Interner {

  private final int capacity;
  private final Map<String, String> strings = new HashMap<>();

  Interner(int capacity) {
    this.capacity = capacity;
  }

  String intern(String value) {
    String shared = strings.get(value);
    if (shared != null) {
      return shared;
    }
    if (strings.size() >= capacity) {
      strings.clear();
    }
    strings.put(value, value);
    return value;
  }
}
