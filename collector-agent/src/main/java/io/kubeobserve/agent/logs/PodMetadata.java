package io.kubeobserve.agent.logs;

import io.kubeobserve.core.contract.Attributes;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the API says about a pod, as the log records carry it: labels, annotations, and the
 * workload that owns it as resource attributes ({@code k8s.deployment.name} through its
 * ReplicaSet, {@code k8s.statefulset.name}, {@code k8s.daemonset.name}, {@code k8s.job.name}).
 */
record PodMetadata(String uid, Map<String, String> labels, Map<String, String> annotations,
    Map<String, String> owners) {

  static PodMetadata of(V1Pod pod) {
    V1ObjectMeta meta = pod.getMetadata();
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : Map.copyOf(meta.getLabels());
    Map<String, String> owners = new LinkedHashMap<>();
    if (meta.getOwnerReferences() != null) {
      for (V1OwnerReference owner : meta.getOwnerReferences()) {
        if (!Boolean.TRUE.equals(owner.getController())) {
          continue;
        }
        switch (owner.getKind()) {
          case "ReplicaSet" -> {
            owners.put(Attributes.K8S_REPLICASET_NAME, owner.getName());
            String hash = labels.get("pod-template-hash");
            if (hash != null && owner.getName().endsWith("-" + hash)) {
              owners.put(Attributes.K8S_DEPLOYMENT_NAME,
                  owner.getName().substring(0, owner.getName().length() - hash.length() - 1));
            }
          }
          case "StatefulSet" -> owners.put(Attributes.K8S_STATEFULSET_NAME, owner.getName());
          case "DaemonSet" -> owners.put(Attributes.K8S_DAEMONSET_NAME, owner.getName());
          case "Job" -> owners.put(Attributes.K8S_JOB_NAME, owner.getName());
          default -> { }
        }
      }
    }
    return new PodMetadata(meta.getUid(), labels,
        meta.getAnnotations() == null ? Map.of() : Map.copyOf(meta.getAnnotations()), Map.copyOf(owners));
  }
}
