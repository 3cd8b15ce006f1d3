package io.kubeobserve.router.watch;

import io.kubeobserve.core.kubernetes.KubernetesConfig;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.EventsV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.EventsV1EventList;
import io.kubernetes.client.openapi.models.V1Node;
import io.kubernetes.client.openapi.models.V1NodeList;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The one place that talks to the Kubernetes API: the client from {@code kubernetes.*}, the
 * generic APIs informers list and watch, the check for events.k8s.io/v1, and the Lease lock.
 */
public final class KubernetesApi {

  private final ApiClient client;

  private KubernetesApi(ApiClient client) {
    this.client = client;
  }

  /** A client from the kubeconfig, else the in-cluster service account; no read timeout (watches). */
  public static KubernetesApi connect(KubernetesConfig config) {
    try {
      ApiClient client;
      if (config.kubeconfig().isPresent()) {
        Path file = config.kubeconfig().get();
        try (Reader reader = Files.newBufferedReader(file)) {
          KubeConfig kubeconfig = KubeConfig.loadKubeConfig(reader);
          kubeconfig.setFile(file.toFile());
          client = ClientBuilder.kubeconfig(kubeconfig).build();
        }
      } else {
        client = ClientBuilder.cluster().build();
      }
      client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
      return new KubernetesApi(client);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the Kubernetes client: " + e.getMessage(), e);
    }
  }

  public ApiClient client() {
    return client;
  }

  /** Whether the API server serves events.k8s.io/v1 (every supported Kubernetes version does). */
  public boolean servesEventsV1() {
    try {
      new EventsV1Api(client).listEventForAllNamespaces().limit(1).execute();
      return true;
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw new IllegalStateException("cannot list events.k8s.io/v1 events: HTTP " + e.getCode(), e);
    }
  }

  public GenericKubernetesApi<EventsV1Event, EventsV1EventList> eventsV1() {
    return new GenericKubernetesApi<>(EventsV1Event.class, EventsV1EventList.class, "events.k8s.io", "v1", "events",
        client);
  }

  public GenericKubernetesApi<CoreV1Event, CoreV1EventList> coreEvents() {
    return new GenericKubernetesApi<>(CoreV1Event.class, CoreV1EventList.class, "", "v1", "events", client);
  }

  public GenericKubernetesApi<V1Node, V1NodeList> nodes() {
    return new GenericKubernetesApi<>(V1Node.class, V1NodeList.class, "", "v1", "nodes", client);
  }

  /** The coordination.k8s.io/v1 Lease that elects the active watcher. */
  public LeaseLock leaseLock(String namespace, String name, String identity) {
    return new LeaseLock(namespace, name, identity, client);
  }
}
