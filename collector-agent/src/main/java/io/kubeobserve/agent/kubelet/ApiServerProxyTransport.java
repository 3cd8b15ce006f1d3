package io.kubeobserve.agent.kubelet;

import io.kubeobserve.agent.kubernetes.KubernetesApi;
import java.time.Duration;
import java.util.Objects;

/**
 * Reaches the kubelet through the API server's {@code nodes/<node>/proxy}, with the credentials of
 * the kubeconfig: for an agent running off the node (the {@code up} command), where the kubelet's
 * port is not reachable or its certificate not verifiable.
 */
public final class ApiServerProxyTransport implements KubeletTransport {

  private final KubernetesApi api;
  private final String nodeName;
  private final int maxResponseBytes;

  public ApiServerProxyTransport(KubernetesApi api, String nodeName, int maxResponseBytes) {
    this.api = Objects.requireNonNull(api, "api");
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public KubeletResponse get(String path, String accept, Duration timeout)
      throws KubeletScrapeException, InterruptedException {
    return api.kubeletGet(nodeName, path, accept, timeout, maxResponseBytes);
  }

  @Override
  public String describe() {
    return api.basePath() + "/api/v1/nodes/" + nodeName + "/proxy";
  }

  @Override
  public String toString() {
    return "ApiServerProxyTransport[" + describe() + "]";
  }
}
