package io.kubeobserve.core.kubernetes;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code kubernetes.*}: access to the Kubernetes API.
 *
 * @param enabled {@code false}: no API access (the agent then takes pod metadata from log paths only)
 * @param kubeconfig a kubeconfig file; empty means the in-cluster service account
 */
public record KubernetesConfig(boolean enabled, Optional<Path> kubeconfig) {}
