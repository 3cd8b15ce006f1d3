package io.kubeobserve.core.contract;

import io.kubeobserve.core.config.Validate;

/**
 * {@code cluster.*}: which cluster this pipeline serves.
 *
 * @param name put on every record as the resource attribute {@code k8s.cluster.name}
 */
public record ClusterConfig(String name) {

  public ClusterConfig {
    Validate.notBlank("name", name);
  }
}
