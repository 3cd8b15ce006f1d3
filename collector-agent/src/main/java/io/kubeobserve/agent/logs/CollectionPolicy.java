package io.kubeobserve.agent.logs;

import io.kubeobserve.agent.AgentConfig.PodFilter;
import java.util.Map;
import java.util.Optional;

/**
 * Which pods' logs are shipped ({@code logs.include}, {@code logs.exclude}) and which are joined
 * into multi-line records ({@code logs.multiline.enabled} or the pod annotation {@value
 * #MULTILINE_ANNOTATION}). Without the pod's metadata (no API access) only namespaces apply.
 */
record CollectionPolicy(PodFilter include, PodFilter exclude, boolean multilineForAll) {

  static final String MULTILINE_ANNOTATION = "kube-observe.io/multiline";

  boolean collects(String namespace, Optional<PodMetadata> pod) {
    if (!include.isEmpty() && !matches(include, namespace, pod)) {
      return false;
    }
    return !matches(exclude, namespace, pod);
  }

  boolean joinsMultiline(Optional<PodMetadata> pod) {
    if (multilineForAll) {
      return !pod.map(p -> "false".equals(p.annotations().get(MULTILINE_ANNOTATION))).orElse(false);
    }
    return pod.map(p -> "true".equals(p.annotations().get(MULTILINE_ANNOTATION))).orElse(false);
  }

  private static boolean matches(PodFilter filter, String namespace, Optional<PodMetadata> pod) {
    if (filter.namespaces().contains(namespace)) {
      return true;
    }
    return pod.isPresent() && (anyEqual(filter.labels(), pod.get().labels())
        || anyEqual(filter.annotations(), pod.get().annotations()));
  }

  private static boolean anyEqual(Map<String, String> wanted, Map<String, String> actual) {
    for (Map.Entry<String, String> entry : wanted.entrySet()) {
      if (entry.getValue().equals(actual.get(entry.getKey()))) {
        return true;
      }
    }
    return false;
  }
}
