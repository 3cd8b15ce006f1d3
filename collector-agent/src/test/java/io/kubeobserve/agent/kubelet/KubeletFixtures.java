package io.kubeobserve.agent.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The recorded kubelet payloads under {@code src/test/resources/fixtures} (see its {@code SOURCES.md}). */
final class KubeletFixtures {

  static final String CADVISOR = "fixtures/cadvisor/metrics-cadvisor_k8s-1.24_containerd-1.6_minikube-arm64.txt";
  static final String RESOURCE = "fixtures/cadvisor/metrics-resource_kind-e2e_metrics-server.txt";
  static final String SUMMARY_1_18 = "fixtures/kubelet/stats-summary_k8s-1.18_docker-20.10_minikube.json";
  static final String SUMMARY_1_24 = "fixtures/kubelet/stats-summary_k8s-1.24_containerd-1.6_minikube-arm64.json";
  static final String SUMMARY_1_35 = "fixtures/kubelet/stats-summary_k8s-1.35_containerd-2.2_minikube.json";

  private KubeletFixtures() {}

  static byte[] bytes(String resource) {
    try (InputStream in = KubeletFixtures.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
