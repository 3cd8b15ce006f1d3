package io.kubeobserve.agent.logs;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metadata of the node's pods by UID, fed by the node's pod informer (the one the pod signals
 * use too). A deleted pod's metadata is kept for {@code logs.deletedPodRetention}, so that the last
 * lines read after its deletion are still enriched. Thread-safe.
 */
public final class PodMetadataCache {

  private final SharedIndexInformer<V1Pod> informer;
  private final Duration retention;
  private final Clock clock;
  private final Map<String, PodMetadata> live = new ConcurrentHashMap<>();
  private final Map<String, Deleted> deleted = new ConcurrentHashMap<>();

  private record Deleted(PodMetadata metadata, Instant until) {}

  /** Registers its handlers on {@code informer}; start the informer afterwards. */
  public PodMetadataCache(SharedIndexInformer<V1Pod> informer, Duration retention, Clock clock) {
    this.informer = informer;
    this.retention = retention;
    this.clock = clock;
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Pod pod) {
        put(pod);
      }

      @Override
      public void onUpdate(V1Pod oldPod, V1Pod newPod) {
        put(newPod);
      }

      @Override
      public void onDelete(V1Pod pod, boolean deletedFinalStateUnknown) {
        String uid = pod.getMetadata().getUid();
        PodMetadata metadata = live.remove(uid);
        deleted.put(uid, new Deleted(metadata != null ? metadata : PodMetadata.of(pod), clock.instant().plus(retention)));
      }
    });
  }

  private void put(V1Pod pod) {
    if (pod.getMetadata() != null && pod.getMetadata().getUid() != null) {
      live.put(pod.getMetadata().getUid(), PodMetadata.of(pod));
    }
  }

  /** Whether the informer listed the node's pods once. */
  boolean synced() {
    return informer.hasSynced();
  }

  /** The pod's metadata, also for a pod deleted less than the retention ago. */
  Optional<PodMetadata> get(String podUid) {
    PodMetadata metadata = live.get(podUid);
    if (metadata != null) {
      return Optional.of(metadata);
    }
    Deleted gone = deleted.get(podUid);
    if (gone == null) {
      return Optional.empty();
    }
    if (clock.instant().isAfter(gone.until())) {
      deleted.remove(podUid);
      return Optional.empty();
    }
    return Optional.of(gone.metadata());
  }
}
