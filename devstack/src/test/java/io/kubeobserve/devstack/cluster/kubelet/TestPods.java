package io.kubeobserve.devstack.cluster.kubelet;

import java.util.List;

/** Pods and a clock for the kubelet tests. */
final class TestPods {

  static final PodView WEB = new PodView("shop", "web-5f7c9d8b6-k2x9q", "0b7c4f1e-2f6a-4d39-9a51-6f0d7a1c9e21",
      List.of(PodView.ContainerView.running("web", "docker.io/library/nginx:1.25", new PodView.Limits(500, 256L << 20)),
          PodView.ContainerView.running("sidecar", "docker.io/library/busybox:1.36", new PodView.Limits(0, 64L << 20))),
      List.of(new PodView.VolumeView("kube-api-access-x7m62", null), new PodView.VolumeView("data", "web-data")));
  static final PodView API = new PodView("payments", "api-7d4b9c-x2x7k", "5d1e0c77-8a0b-4c55-b3a8-0e6f3f2d9b10",
      List.of(PodView.ContainerView.running("api", "registry.example.com/payments/api:2.3.1", new PodView.Limits(0, 512L << 20))),
      List.of(new PodView.VolumeView("kube-api-access-q2w4e", null)));

  static final List<PodView> PODS = List.of(WEB, API);

  private TestPods() {}
}
