package io.kubeobserve.devstack.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeobserve.devstack.cluster.api.ClusterStore;
import io.kubeobserve.devstack.cluster.api.Json;
import io.kubeobserve.devstack.cluster.api.ResourceType;
import io.kubeobserve.devstack.cluster.kubelet.PodSource;
import io.kubeobserve.devstack.cluster.kubelet.PodView;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelets' view of the API store: the pods bound to the node ({@code spec.nodeName}) that are
 * not terminal (an evicted or completed pod has no running containers, so the kubelet reports none
 * of it), with each container's restart count, state and limits from the pod.
 */
final class StorePodSource implements PodSource {

  private final ClusterStore store;

  StorePodSource(ClusterStore store) {
    this.store = store;
  }

  @Override
  public List<PodView> podsOnNode(String nodeName) {
    List<PodView> pods = new ArrayList<>();
    for (JsonNode pod : store.list(ResourceType.PODS, "")) {
      String phase = pod.path("status").path("phase").asText("");
      if (nodeName.equals(pod.path("spec").path("nodeName").asText()) && !phase.equals("Failed")
          && !phase.equals("Succeeded")) {
        pods.add(view(pod));
      }
    }
    return pods;
  }

  static PodView view(JsonNode pod) {
    List<PodView.ContainerView> containers = new ArrayList<>();
    for (JsonNode container : pod.path("spec").path("containers")) {
      String name = container.path("name").asText();
      JsonNode status = containerStatus(pod, name);
      JsonNode limits = container.path("resources").path("limits");
      containers.add(new PodView.ContainerView(name, container.path("image").asText(),
          status.path("restartCount").asInt(0), state(status.path("state")),
          new PodView.Limits(Quantities.millis(limits.path("cpu").asText("")),
              Quantities.bytes(limits.path("memory").asText("")))));
    }
    List<PodView.VolumeView> volumes = new ArrayList<>();
    for (JsonNode volume : pod.path("spec").path("volumes")) {
      String claim = volume.path("persistentVolumeClaim").path("claimName").asText("");
      volumes.add(new PodView.VolumeView(volume.path("name").asText(), claim.isEmpty() ? null : claim));
    }
    return new PodView(Json.meta(pod, "namespace"), Json.meta(pod, "name"), Json.meta(pod, "uid"), containers, volumes);
  }

  /** The container's entry in {@code status.containerStatuses}, or a missing node. */
  static JsonNode containerStatus(JsonNode pod, String container) {
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (container.equals(status.path("name").asText())) {
        return status;
      }
    }
    return pod.path("status").path("containerStatuses").path(Integer.MAX_VALUE);
  }

  private static PodView.ContainerState state(JsonNode state) {
    if (state.has("running")) {
      return PodView.ContainerState.RUNNING;
    }
    return state.has("terminated") ? PodView.ContainerState.TERMINATED : PodView.ContainerState.WAITING;
  }
}
