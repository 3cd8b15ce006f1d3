package io.kubeobserve.alerts.incident;

import io.kubeobserve.alerts.AlertsConfig.Route;
import java.util.List;
import java.util.Map;

/**
 * Chooses an incident's receivers ({@code routes}, {@code defaultReceivers}): the first route whose
 * every matcher equals the incident's label wins; no match goes to the default receivers, or to
 * every receiver when none are named.
 */
public final class Routing {

  private final List<Route> routes;
  private final List<String> defaults;

  public Routing(List<Route> routes, List<String> defaultReceivers, List<String> allReceivers) {
    this.routes = List.copyOf(routes);
    this.defaults = List.copyOf(defaultReceivers.isEmpty() ? allReceivers : defaultReceivers);
  }

  public List<String> receivers(Incident incident) {
    Map<String, String> labels = incident.matchLabels();
    for (Route route : routes) {
      if (Matchers.matchAll(route.match(), labels)) {
        return route.receivers();
      }
    }
    return defaults;
  }
}
