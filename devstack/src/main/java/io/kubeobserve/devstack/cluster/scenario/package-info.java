/**
 * Scenarios that script a {@link io.kubeobserve.devstack.cluster.SimulatedCluster} over scenario
 * time: a Java API ({@link io.kubeobserve.devstack.cluster.scenario.Scenario#builder(String)}) and a
 * YAML form ({@link io.kubeobserve.devstack.cluster.scenario.ScenarioFiles}), the built-ins
 * ({@link io.kubeobserve.devstack.cluster.scenario.Scenarios}), and the ground truth of what happened
 * ({@link io.kubeobserve.devstack.cluster.scenario.GroundTruth}). Run one with
 * {@link io.kubeobserve.devstack.cluster.scenario.ScenarioRun#start}.
 *
 * <p>Everything in this package is non-null unless documented otherwise.
 */
package io.kubeobserve.devstack.cluster.scenario;
