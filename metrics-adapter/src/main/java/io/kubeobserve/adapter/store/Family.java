package io.kubeobserve.adapter.store;

import io.kubeobserve.adapter.translate.FamilyType;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One exposed metric family and its series, kept sorted by labels for rendering. */
final class Family {

  final int id;
  /** The library's name (without {@code _total}/{@code _info}). */
  final String name;
  /** The name Prometheus stores the samples under ({@code x_total}; the base name for histograms). */
  final String exposedName;
  final FamilyType type;
  MetricMetadata metadata;
  final List<Series> members = new ArrayList<>();
  final Map<Labels, Series> byLabels = new HashMap<>();
  /** Members were added since the last sort. */
  boolean unsorted;

  Family(int id, String name, String exposedName, FamilyType type, String help) {
    this.id = id;
    this.name = name;
    this.exposedName = exposedName;
    this.type = type;
    this.metadata = new MetricMetadata(name, help.isEmpty() ? null : help);
  }

  void help(String help) {
    String current = metadata.getHelp() == null ? "" : metadata.getHelp();
    if (!current.equals(help)) {
      metadata = new MetricMetadata(name, help.isEmpty() ? null : help);
    }
  }

  void add(Series series) {
    members.add(series);
    byLabels.put(series.labels, series);
    unsorted = true;
  }

  void sortIfNeeded() {
    if (unsorted) {
      members.sort((a, b) -> a.labels.compareTo(b.labels));
      unsorted = false;
    }
  }
}
