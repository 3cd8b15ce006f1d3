/**
 * The simulated Kubernetes cluster: {@link io.kubeobserve.devstack.cluster.SimulatedCluster} wires
 * the API server ({@code api}), the kubelets ({@code kubelet}) and the container log files
 * ({@code logs}) on one {@link io.kubeobserve.devstack.cluster.ScenarioClock};
 * {@link io.kubeobserve.devstack.cluster.PodLifecycle} and
 * {@link io.kubeobserve.devstack.cluster.NodeLifecycle} change it as the kubelet and the controllers
 * do; scenarios ({@code scenario}) script it.
 *
 * <p>Everything in this package is non-null unless documented otherwise.
 */
package io.kubeobserve.devstack.cluster;
