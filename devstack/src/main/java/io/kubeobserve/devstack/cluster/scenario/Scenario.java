package io.kubeobserve.devstack.cluster.scenario;

import static java.util.Objects.requireNonNull;

import io.kubeobserve.devstack.cluster.SimulatedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A script of cluster life: the cluster's size and a timeline of {@link Step}s. Built in Java with
 * {@link #builder(String)} or read from YAML by {@link ScenarioFiles}; run by {@link ScenarioRun}.
 *
 * @param name the scenario's name
 * @param description what it shows
 * @param nodes how many nodes the cluster has
 * @param podsPerNode pods per node
 * @param steps the timeline, ordered by start time
 */
public record Scenario(String name, String description, int nodes, int podsPerNode, List<Step> steps) {

  public Scenario {
    requireNonNull(name, "name");
    requireNonNull(description, "description");
    if (nodes < 1 || podsPerNode < 1) {
      throw new IllegalArgumentException("nodes and podsPerNode must be at least 1");
    }
    steps = steps.stream().sorted(Comparator.comparing(Step::at)).toList();
  }

  /** A builder for a scenario called {@code name} (2 nodes, 4 pods per node, no steps). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A cluster builder with this scenario's size. */
  public SimulatedCluster.Builder clusterBuilder() {
    return SimulatedCluster.builder().nodes(nodes).podsPerNode(podsPerNode);
  }

  /** When the last step starts. */
  public Duration lastStepAt() {
    return steps.isEmpty() ? Duration.ZERO : steps.get(steps.size() - 1).at();
  }

  /** Builds a {@link Scenario}. */
  public static final class Builder {
    private final String name;
    private String description = "";
    private int nodes = 2;
    private int podsPerNode = 4;
    private final List<Step> steps = new ArrayList<>();

    private Builder(String name) {
      this.name = requireNonNull(name, "name");
    }

    public Builder description(String description) {
      this.description = requireNonNull(description, "description");
      return this;
    }

    public Builder nodes(int nodes) {
      this.nodes = nodes;
      return this;
    }

    public Builder podsPerNode(int podsPerNode) {
      this.podsPerNode = podsPerNode;
      return this;
    }

    /** Adds {@code action} at {@code at} after the start. */
    public Builder step(Duration at, Action action) {
      steps.add(new Step(at, action));
      return this;
    }

    public Scenario build() {
      return new Scenario(name, description, nodes, podsPerNode, steps);
    }
  }
}
