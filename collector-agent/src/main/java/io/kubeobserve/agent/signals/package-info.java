/**
 * Node-local pod signals for {@code k8s-events}: what a pod's status shows ({@link
 * io.kubeobserve.agent.signals.PodSignalReader}: container terminated, OOMKilled included; waiting
 * in CrashLoopBackOff or ImagePullBackOff; pod evicted), emitted once per occurrence by the
 * informer-driven {@link io.kubeobserve.agent.signals.PodSignalController}, remembered across
 * relists and restarts by {@link io.kubeobserve.agent.signals.EmittedOccurrences}.
 */
package io.kubeobserve.agent.signals;
