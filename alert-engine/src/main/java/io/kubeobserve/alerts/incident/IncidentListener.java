package io.kubeobserve.alerts.incident;

import io.kubeobserve.alerts.notify.Notification.Kind;
import java.util.List;

/** What {@link IncidentBook} decides: state changes (to {@code k8s-alerts}) and messages to send (to the outbox). */
public interface IncidentListener {

  /** The incident has a new state (a new {@link Incident#version()}). */
  void changed(Incident incident);

  /**
   * A message of this kind about the incident is to be sent to each receiver; {@code repeat} for a
   * FIRING message sent again after {@code incidents.repeatInterval}.
   */
  void notify(Incident incident, Kind kind, List<String> receivers, boolean repeat);
}
