package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Recorded Kubernetes objects (src/test/resources/fixtures/k8s-objects) and client set-up. */
final class Fixtures {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  /** A recorded object, as the file has it. */
  static ObjectNode object(String file) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/k8s-objects/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + file);
      }
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The items of a recorded list, each with the list's item kind and apiVersion. */
  static List<ObjectNode> items(String file) {
    ObjectNode list = object(file);
    String kind = list.path("kind").asText().replaceFirst("List$", "");
    String apiVersion = list.path("apiVersion").asText();
    List<ObjectNode> items = new java.util.ArrayList<>();
    list.path("items").forEach(item -> {
      ObjectNode copy = ((ObjectNode) item).deepCopy();
      copy.put("kind", kind);
      copy.put("apiVersion", apiVersion);
      items.add(copy);
    });
    return items;
  }

  /** The evicted GKE pod, renamed; phase Running so that it can be updated like a live pod. */
  static ObjectNode pod(String name) {
    ObjectNode pod = object("pod_oomkilled-lastState_crashloop-restarts9_gke-containerd.json");
    ((ObjectNode) pod.get("metadata")).put("name", name).remove("uid");
    ((ObjectNode) pod.get("metadata")).put("namespace", "default");
    return pod;
  }

  /**
   * The same pod with its container running since {@code startedAt}, restart count 0 (so that
   * its log is {@code 0.log}), scheduled to {@code node}.
   */
  static ObjectNode runningPod(String name, String node) {
    ObjectNode pod = pod(name);
    ((ObjectNode) pod.get("spec")).put("nodeName", node);
    ObjectNode status = (ObjectNode) pod.get("status");
    ObjectNode container = (ObjectNode) status.path("containerStatuses").get(0);
    container.put("restartCount", 0).put("ready", true).remove("lastState");
    container.putObject("state").putObject("running").put("startedAt", "2024-11-20T09:25:00Z");
    return pod;
  }

  /** A client-java client from a kubeconfig the server wrote, with no read timeout (watches). */
  static ApiClient client(SimulatedApiServer server, Path directory) {
    try {
      Path kubeconfig = server.writeKubeconfig(directory.resolve("kubeconfig-" + System.nanoTime()));
      ApiClient client = Config.fromConfig(kubeconfig.toString());
      client.setHttpClient(client.getHttpClient().newBuilder()
          .readTimeout(0, TimeUnit.SECONDS).build());
      return client;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
