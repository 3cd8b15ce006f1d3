package io.kubeobserve.agent.kubelet;

import java.util.Objects;

/**
 * Where a Prometheus exposition was scraped, carried as resource attributes so that consumers can
 * give its series the labels a direct scrape would: {@code k8s.cluster.name},
 * {@code k8s.node.name}, {@code kube_observe.scrape.job} ({@code job}) and
 * {@code kube_observe.scrape.path} ({@code metrics_path}).
 *
 * @param clusterName the cluster, from {@code cluster.name}
 * @param nodeName the node whose kubelet served the exposition
 * @param job the Prometheus job name a direct scrape uses for this endpoint, {@code kubelet}
 * @param metricsPath the path scraped, such as {@code /metrics/cadvisor}
 */
public record ScrapeOrigin(String clusterName, String nodeName, String job, String metricsPath) {

  /** The job name kube-prometheus and kubernetes-mixin give the kubelet's endpoints. */
  public static final String KUBELET_JOB = "kubelet";

  public ScrapeOrigin {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(metricsPath, "metricsPath");
  }

  /** The kubelet's {@code path} endpoint on {@code nodeName}, as job {@code kubelet}. */
  public static ScrapeOrigin kubelet(String clusterName, String nodeName, String path) {
    return new ScrapeOrigin(clusterName, nodeName, KUBELET_JOB, path);
  }
}
