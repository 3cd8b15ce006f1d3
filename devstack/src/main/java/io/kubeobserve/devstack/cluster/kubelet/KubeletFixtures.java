package io.kubeobserve.devstack.cluster.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The recorded kubelet payloads the simulation is built from, shipped as resources under {@code
 * io/kubeobserve/devstack/cluster/fixtures/} (their origin is in the {@code SOURCES.md} next to
 * them). Loaded once; the parsed forms are shared read-only.
 */
public final class KubeletFixtures {

  /** The resource folder of the recorded payloads. */
  public static final String FOLDER = "/io/kubeobserve/devstack/cluster/fixtures/";

  /** The {@code /metrics/cadvisor} recording (same node as {@link SummarySchema#V1_24}). */
  public static final String CADVISOR = "metrics-cadvisor_k8s-1.24_containerd-1.6_minikube-arm64.txt";

  /** The {@code /metrics/resource} recording. */
  public static final String RESOURCE = "metrics-resource_kind-e2e_metrics-server.txt";

  /** Which recorded {@code /stats/summary} schema a kubelet renders. */
  public enum SummarySchema {
    /** Kubernetes 1.24, containerd 1.6: the node the cAdvisor recording comes from. */
    V1_24("stats-summary_k8s-1.24_containerd-1.6_minikube-arm64.json"),
    /** Kubernetes 1.35, containerd 2.2: adds PSI, io, swap and {@code runtime.containerFs}. */
    V1_35("stats-summary_k8s-1.35_containerd-2.2_minikube.json");

    private final String resource;

    SummarySchema(String resource) {
      this.resource = resource;
    }

    /** The resource file name under {@link #FOLDER}. */
    public String resource() {
      return resource;
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static volatile KubeletFixtures instance;

  private final JsonNode summary124;
  private final JsonNode summary135;
  private final List<PrometheusText.Family> cadvisor;
  private final List<PrometheusText.Family> resource;
  private final List<ContainerProfile> profiles;

  private KubeletFixtures() {
    this.summary124 = json(SummarySchema.V1_24.resource());
    this.summary135 = json(SummarySchema.V1_35.resource());
    this.cadvisor = PrometheusText.parse(text(CADVISOR));
    this.resource = PrometheusText.parse(text(RESOURCE));
    this.profiles = List.copyOf(profilesOf(summary124));
  }

  /** The shared, parsed recordings. */
  public static KubeletFixtures get() {
    KubeletFixtures loaded = instance;
    if (loaded == null) {
      synchronized (KubeletFixtures.class) {
        loaded = instance;
        if (loaded == null) {
          loaded = new KubeletFixtures();
          instance = loaded;
        }
      }
    }
    return loaded;
  }

  /** The recorded summary of {@code schema}; callers must not modify it (use {@code deepCopy()}). */
  public JsonNode summary(SummarySchema schema) {
    return schema == SummarySchema.V1_24 ? summary124 : summary135;
  }

  /** The recorded {@code /metrics/cadvisor} families. */
  public List<PrometheusText.Family> cadvisor() {
    return cadvisor;
  }

  /** The recorded {@code /metrics/resource} families. */
  public List<PrometheusText.Family> resource() {
    return resource;
  }

  /** One profile per recorded container of the 1.24 summary, in recorded order. */
  public List<ContainerProfile> profiles() {
    return profiles;
  }

  /** The profile a container called {@code containerName} starts from: a stable pick among the recorded ones. */
  public ContainerProfile profileFor(String containerName) {
    for (ContainerProfile profile : profiles) {
      if (profile.recordedName().equals(containerName)) {
        return profile;
      }
    }
    return profiles.get(Math.floorMod(containerName.hashCode(), profiles.size()));
  }

  /** The raw text of a fixture resource. */
  public static String text(String name) {
    try (InputStream in = KubeletFixtures.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture resource " + FOLDER + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fixture " + name, e);
    }
  }

  private static JsonNode json(String name) {
    try {
      return MAPPER.readTree(text(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse fixture " + name, e);
    }
  }

  private static List<ContainerProfile> profilesOf(JsonNode summary) {
    List<ContainerProfile> result = new ArrayList<>();
    for (JsonNode pod : summary.path("pods")) {
      double podAge = ageSeconds(pod.path("startTime").asText(), pod.path("network").path("time").asText());
      for (JsonNode container : pod.path("containers")) {
        JsonNode memory = container.path("memory");
        double age = ageSeconds(container.path("startTime").asText(), memory.path("time").asText());
        result.add(new ContainerProfile(
            container.path("name").asText(),
            memory.path("workingSetBytes").asLong(),
            memory.path("rssBytes").asLong(),
            memory.path("usageBytes").asLong(),
            container.path("cpu").path("usageNanoCores").asLong(),
            memory.path("pageFaults").asLong() / age,
            memory.path("majorPageFaults").asLong(),
            container.path("rootfs").path("usedBytes").asLong(),
            container.path("rootfs").path("inodesUsed").asLong(),
            container.path("logs").path("usedBytes").asLong(),
            pod.path("network").path("rxBytes").asLong() / podAge,
            pod.path("network").path("txBytes").asLong() / podAge));
      }
    }
    return result;
  }

  private static double ageSeconds(String start, String at) {
    try {
      return Math.max(1, Duration.between(Instant.parse(start), Instant.parse(at)).toSeconds());
    } catch (RuntimeException e) {
      return 60;
    }
  }
}
