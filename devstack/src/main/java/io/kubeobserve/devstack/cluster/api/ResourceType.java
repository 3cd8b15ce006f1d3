package io.kubeobserve.devstack.cluster.api;

import java.util.List;
import java.util.Objects;

/**
 * A resource the simulated API server serves: where it lives in the URL space and how discovery
 * describes it.
 *
 * @param group API group, empty for the core group
 * @param version API version, such as {@code v1}
 * @param plural the resource name in URLs, such as {@code pods}
 * @param singular the singular name, such as {@code pod}
 * @param kind the object kind, such as {@code Pod}
 * @param namespaced whether objects live in namespaces
 * @param shortNames kubectl short names
 * @param subresources subresources served ({@code status}, {@code log}, {@code proxy})
 */
public record ResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> subresources) {

  public static final ResourceType NAMESPACES =
      core("namespaces", "namespace", "Namespace", false, List.of("ns"), List.of("status"));
  public static final ResourceType NODES =
      core("nodes", "node", "Node", false, List.of("no"), List.of("status", "proxy"));
  public static final ResourceType PODS =
      core("pods", "pod", "Pod", true, List.of("po"), List.of("status", "log"));
  public static final ResourceType EVENTS =
      core("events", "event", "Event", true, List.of("ev"), List.of());
  public static final ResourceType SERVICES =
      core("services", "service", "Service", true, List.of("svc"), List.of("status"));
  public static final ResourceType ENDPOINTS =
      core("endpoints", "endpoints", "Endpoints", true, List.of("ep"), List.of());
  public static final ResourceType CONFIGMAPS =
      core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), List.of());
  public static final ResourceType LEASES =
      new ResourceType("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(),
          List.of());
  /** events.k8s.io/v1 events: a view of the core/v1 Event objects, as in a real API server. */
  public static final ResourceType EVENTS_V1 =
      new ResourceType("events.k8s.io", "v1", "events", "event", "Event", true, List.of("ev"),
          List.of());

  /** Every resource served, in discovery order. */
  public static final List<ResourceType> ALL =
      List.of(NAMESPACES, NODES, PODS, EVENTS, SERVICES, ENDPOINTS, CONFIGMAPS, LEASES, EVENTS_V1);

  public ResourceType {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(plural, "plural");
    shortNames = List.copyOf(shortNames);
    subresources = List.copyOf(subresources);
  }

  private static ResourceType core(String plural, String singular, String kind, boolean namespaced,
      List<String> shortNames, List<String> subresources) {
    return new ResourceType("", "v1", plural, singular, kind, namespaced, shortNames, subresources);
  }

  /** {@code v1} or {@code group/version}, as in an object's {@code apiVersion}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code pods} or {@code leases.coordination.k8s.io}, as in API error messages. */
  public String qualifiedName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** The resource whose objects the store holds for this one. */
  public ResourceType storage() {
    return isView() ? EVENTS : this;
  }

  /** Whether this resource is another version's objects seen through a conversion. */
  public boolean isView() {
    return this == EVENTS_V1;
  }

  /** Whether {@code subresource} is served. */
  public boolean hasSubresource(String subresource) {
    return subresources.contains(subresource);
  }

  /** The served resource with this group and plural, or {@code null}. */
  static ResourceType find(String group, String version, String plural) {
    for (ResourceType type : ALL) {
      if (type.group.equals(group) && type.version.equals(version) && type.plural.equals(plural)) {
        return type;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
