/** The agent's one adapter over the Kubernetes client ({@link io.kubeobserve.agent.kubernetes.KubernetesApi}). */
package io.kubeobserve.agent.kubernetes;
