package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated cluster's objects, as the API server serves them (JSON {@link ObjectNode}s), with
 * one global resourceVersion counter (etcd's revision) and a bounded {@link ChangeHistory}.
 *
 * <p>Scenarios and simulated kubelets drive the cluster through the public methods; they behave
 * like the API verbs (optimistic concurrency, status subresources, graceful pod deletion, watch
 * events), except that {@link #create(ResourceType, ObjectNode)} keeps a {@code uid} and
 * {@code creationTimestamp} already present in the object, so that recorded objects keep the
 * identities other recorded data (log paths, events) refer to. Objects handed out are copies.
 */
public final class ClusterStore implements AutoCloseable {

  /** The namespaces every cluster has. */
  public static final List<String> SYSTEM_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private static final Logger log = LoggerFactory.getLogger(ClusterStore.class);
  private static final int WATCHER_CAPACITY = 10_000;
  private static final long DEFAULT_POD_GRACE_SECONDS = 30;

  private final Object lock = new Object();
  private final Clock clock;
  private final ChangeHistory history;
  private final Map<ResourceType, TreeMap<String, ObjectNode>> objects = new HashMap<>();
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timers;
  private long resourceVersion;

  ClusterStore(Clock clock, int historyWindow) {
    this.clock = clock;
    this.history = new ChangeHistory(historyWindow);
    for (ResourceType type : ResourceType.ALL) {
      objects.putIfAbsent(type.storage(), new TreeMap<>());
    }
    this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "simulated-apiserver-timers");
      thread.setDaemon(true);
      return thread;
    });
    SYSTEM_NAMESPACES.forEach(this::ensureNamespace);
  }

  /** The key of an object in its resource's map (and in continue tokens): {@code namespace/name}. */
  static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The current (newest) resourceVersion. */
  public long resourceVersion() {
    synchronized (lock) {
      return resourceVersion;
    }
  }

  /** How many changes the history keeps. */
  public int historyWindow() {
    return history.window();
  }

  /** Creates the namespace {@code name} unless it exists. */
  public void ensureNamespace(String name) {
    synchronized (lock) {
      if (!objects.get(ResourceType.NAMESPACES).containsKey(key("", name))) {
        ObjectNode namespace = Json.MAPPER.createObjectNode();
        namespace.putObject("metadata").put("name", name);
        create(ResourceType.NAMESPACES, namespace);
      }
    }
  }

  /** Creates {@code object}, its resource named by its {@code apiVersion} and {@code kind}. */
  public ObjectNode create(ObjectNode object) {
    return create(typeOf(object), object);
  }

  /**
   * Creates {@code object} (keeping its {@code uid} and {@code creationTimestamp} when present).
   *
   * @throws StatusException 409 AlreadyExists, 404 when its namespace does not exist
   */
  public ObjectNode create(ResourceType type, ObjectNode object) {
    return create(type, Json.meta(object, "namespace"), object, true);
  }

  /** The API's create: the server assigns {@code uid} and {@code creationTimestamp}. */
  ObjectNode create(ResourceType type, String namespace, ObjectNode body, boolean keepIdentity) {
    ObjectNode object = body.deepCopy();
    ResourceType storage = type.storage();
    ObjectNode metadata = Json.metadata(object);
    String bodyNamespace = metadata.path("namespace").asText("");
    if (storage.namespaced()) {
      if (namespace.isEmpty()) {
        namespace = bodyNamespace.isEmpty() ? "default" : bodyNamespace;
      } else if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
        throw StatusException.badRequest("the namespace of the provided object does not match the"
            + " namespace sent on the request");
      }
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    if (metadata.path("name").asText("").isEmpty()) {
      String generateName = metadata.path("generateName").asText("");
      if (generateName.isEmpty()) {
        throw StatusException.invalid(storage, "",
            "metadata.name: Required value: name or generateName is required");
      }
      metadata.put("name", generateName + randomSuffix());
    }
    String name = metadata.get("name").asText();
    object.put("apiVersion", storage.apiVersion());
    object.put("kind", storage.kind());
    metadata.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds",
        "selfLink"));
    if (!keepIdentity || metadata.path("uid").asText("").isEmpty()) {
      metadata.put("uid", UUID.randomUUID().toString());
    }
    if (!keepIdentity || metadata.path("creationTimestamp").asText("").isEmpty()) {
      metadata.put("creationTimestamp", Json.time(clock.instant()));
    }
    if (storage == ResourceType.PODS) {
      metadata.put("generation", 1);
    }
    if (storage == ResourceType.NAMESPACES && !object.path("status").has("phase")) {
      object.putObject("status").put("phase", "Active");
    }
    synchronized (lock) {
      if (storage.namespaced()
          && !objects.get(ResourceType.NAMESPACES).containsKey(key("", namespace))) {
        throw StatusException.notFound(ResourceType.NAMESPACES, namespace);
      }
      String key = key(storage.namespaced() ? namespace : "", name);
      if (objects.get(storage).containsKey(key)) {
        throw StatusException.alreadyExists(type, name);
      }
      return commit(storage, Change.ADDED, object, null);
    }
  }

  /** The object, or empty. */
  public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
    synchronized (lock) {
      ObjectNode object = objects.get(type.storage()).get(objectKey(type, namespace, name));
      return Optional.ofNullable(object == null ? null : object.deepCopy());
    }
  }

  /**
   * The object.
   *
   * @throws StatusException 404 NotFound
   */
  public ObjectNode get(ResourceType type, String namespace, String name) {
    return find(type, namespace, name).orElseThrow(() -> StatusException.notFound(type, name));
  }

  /** Every object of {@code type} in {@code namespace} (empty: all namespaces), by key. */
  public List<ObjectNode> list(ResourceType type, String namespace) {
    return list(type, ListQuery.all(namespace)).items();
  }

  /** The objects of {@code type} whose labels match {@code labelSelector} (string form). */
  public List<ObjectNode> list(ResourceType type, String namespace, String labelSelector) {
    return list(type, new ListQuery(namespace, LabelSelector.parse(labelSelector),
        FieldSelector.EVERYTHING, 0, "", "", "")).items();
  }

  /**
   * Replaces the object (PUT). The status of a resource with a status subresource is kept.
   *
   * @throws StatusException 409 Conflict when {@code metadata.resourceVersion} is set and stale,
   *     404 when the object does not exist
   */
  public ObjectNode update(ResourceType type, ObjectNode object) {
    return update(type, Json.meta(object, "namespace"), Json.meta(object, "name"), object, false);
  }

  /** Replaces the object's status (PUT on the {@code status} subresource). */
  public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
    return update(type, Json.meta(object, "namespace"), Json.meta(object, "name"), object, true);
  }

  /** Applies a strategic merge patch to the object's status subresource, as kubelets do. */
  public ObjectNode patchStatus(ResourceType type, String namespace, String name, ObjectNode patch) {
    return patch(type, namespace, name, Patches.Type.STRATEGIC,
        Json.bytes(patch), true);
  }

  /** Applies a strategic merge patch to the object (not its status). */
  public ObjectNode patch(ResourceType type, String namespace, String name, ObjectNode patch) {
    return patch(type, namespace, name, Patches.Type.STRATEGIC, Json.bytes(patch), false);
  }

  /** Deletes with the default grace period (pods: {@code spec.terminationGracePeriodSeconds}). */
  public ObjectNode delete(ResourceType type, String namespace, String name) {
    return delete(type, namespace, name, null);
  }

  /**
   * Deletes the object. A scheduled, non-terminal pod with a positive grace period first gets
   * {@code deletionTimestamp} and {@code deletionGracePeriodSeconds} and goes away when the period
   * ends (or when deleted again with 0); other objects go at once.
   *
   * @param gracePeriodSeconds the grace period, or {@code null} for the default
   * @return the object as deleted or as marked for deletion
   */
  public ObjectNode delete(ResourceType type, String namespace, String name, Long gracePeriodSeconds) {
    ResourceType storage = type.storage();
    synchronized (lock) {
      String key = objectKey(type, namespace, name);
      ObjectNode current = objects.get(storage).get(key);
      if (current == null) {
        throw StatusException.notFound(type, name);
      }
      if (storage == ResourceType.PODS) {
        long grace = gracePeriodSeconds != null ? gracePeriodSeconds
            : current.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_POD_GRACE_SECONDS);
        String phase = current.path("status").path("phase").asText("");
        boolean unscheduled = current.path("spec").path("nodeName").asText("").isEmpty();
        boolean terminal = phase.equals("Failed") || phase.equals("Succeeded");
        if (grace > 0 && !unscheduled && !terminal) {
          return markForDeletion(current, grace);
        }
      }
      if (storage == ResourceType.NAMESPACES) {
        deleteNamespaceContents(name);
      }
      return remove(storage, current);
    }
  }

  private ObjectNode markForDeletion(ObjectNode current, long grace) {
    Instant deadline = clock.instant().plusSeconds(grace);
    JsonNode existing = current.path("metadata").path("deletionTimestamp");
    Instant existingDeadline = Json.parseTime(existing);
    if (existingDeadline != null && !existingDeadline.isAfter(deadline)) {
      return current.deepCopy();
    }
    ObjectNode marked = current.deepCopy();
    Json.metadata(marked).put("deletionTimestamp", Json.time(deadline));
    Json.metadata(marked).put("deletionGracePeriodSeconds", grace);
    ObjectNode result = commit(ResourceType.PODS, Change.MODIFIED, marked, current);
    String namespace = Json.meta(current, "namespace");
    String name = Json.meta(current, "name");
    String uid = Json.meta(current, "uid");
    timers.schedule(() -> finishDeletion(namespace, name, uid), grace, TimeUnit.SECONDS);
    return result;
  }

  private void finishDeletion(String namespace, String name, String uid) {
    synchronized (lock) {
      ObjectNode current = objects.get(ResourceType.PODS).get(key(namespace, name));
      if (current != null && uid.equals(Json.meta(current, "uid"))) {
        remove(ResourceType.PODS, current);
      }
    }
  }

  private void deleteNamespaceContents(String namespace) {
    for (Map.Entry<ResourceType, TreeMap<String, ObjectNode>> entry : objects.entrySet()) {
      if (!entry.getKey().namespaced()) {
        continue;
      }
      for (ObjectNode object : new ArrayList<>(
          entry.getValue().subMap(namespace + "/", namespace + "0").values())) {
        remove(entry.getKey(), object);
      }
    }
  }

  private ObjectNode remove(ResourceType storage, ObjectNode current) {
    return commit(storage, Change.DELETED, current.deepCopy(), current);
  }

  // ---- API paths (package-private) ----

  ObjectNode update(ResourceType type, String namespace, String name, ObjectNode body,
      boolean statusOnly) {
    ResourceType storage = type.storage();
    ObjectNode metadata = Json.metadata(body);
    String bodyName = metadata.path("name").asText("");
    if (!bodyName.isEmpty() && !bodyName.equals(name)) {
      throw StatusException.badRequest("the name of the object (" + bodyName
          + ") does not match the name on the URL (" + name + ")");
    }
    synchronized (lock) {
      ObjectNode current = objects.get(storage).get(objectKey(type, namespace, name));
      if (current == null) {
        if (!statusOnly && (storage == ResourceType.LEASES || storage == ResourceType.EVENTS)) {
          ObjectNode created = body.deepCopy();
          Json.metadata(created).put("name", name);
          return create(type, namespace, created, false);
        }
        throw StatusException.notFound(type, name);
      }
      String expected = metadata.path("resourceVersion").asText("");
      if (!expected.isEmpty() && !expected.equals(Json.meta(current, "resourceVersion"))) {
        throw StatusException.conflict(type, name);
      }
      String uid = metadata.path("uid").asText("");
      if (!uid.isEmpty() && !uid.equals(Json.meta(current, "uid"))) {
        throw new StatusException(409, "Conflict", "Precondition failed: UID in precondition: "
            + uid + ", UID in object meta: " + Json.meta(current, "uid"), name, type.group(),
            type.plural());
      }
      ObjectNode next;
      if (statusOnly) {
        next = current.deepCopy();
        JsonNode status = body.get("status");
        if (status == null) {
          next.remove("status");
        } else {
          next.set("status", status.deepCopy());
        }
      } else {
        next = body.deepCopy();
        next.put("apiVersion", storage.apiVersion());
        next.put("kind", storage.kind());
        ObjectNode nextMeta = Json.metadata(next);
        nextMeta.put("name", name);
        if (storage.namespaced()) {
          nextMeta.put("namespace", Json.meta(current, "namespace"));
        }
        for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp",
            "deletionGracePeriodSeconds", "generation")) {
          JsonNode value = current.path("metadata").get(field);
          if (value == null) {
            nextMeta.remove(field);
          } else {
            nextMeta.set(field, value.deepCopy());
          }
        }
        if (hasStatusSubresource(storage)) {
          JsonNode status = current.get("status");
          if (status == null) {
            next.remove("status");
          } else {
            next.set("status", status.deepCopy());
          }
        }
        if (current.path("metadata").has("generation")
            && !current.path("spec").equals(next.path("spec"))) {
          nextMeta.put("generation", current.path("metadata").path("generation").asLong() + 1);
        }
      }
      Json.metadata(next).put("resourceVersion", Json.meta(current, "resourceVersion"));
      if (next.equals(current)) {
        return current.deepCopy();
      }
      return commit(storage, Change.MODIFIED, next, current);
    }
  }

  ObjectNode patch(ResourceType type, String namespace, String name, Patches.Type patchType,
      byte[] patch, boolean statusOnly) {
    synchronized (lock) {
      ObjectNode current = objects.get(type.storage()).get(objectKey(type, namespace, name));
      if (current == null) {
        throw StatusException.notFound(type, name);
      }
      ObjectNode patched = Patches.apply(patchType, current, patch);
      return update(type, namespace, name, patched, statusOnly);
    }
  }

  ListResult list(ResourceType type, ListQuery query) {
    ResourceType storage = type.storage();
    synchronized (lock) {
      long at = resourceVersion;
      String start = "";
      if (!query.continueToken().isEmpty()) {
        ContinueToken token = ContinueToken.decode(query.continueToken());
        if (!history.covers(token.resourceVersion())) {
          throw StatusException.expired("The provided continue parameter is too old to display a"
              + " consistent list result. You can start a new list without the continue"
              + " parameter, or use the continue token in this response to retrieve the remainder"
              + " of the results. Continuing with the provided token results in an inconsistent"
              + " list - objects that were created, modified, or deleted between the time the"
              + " first chunk was returned and now may show up in the list.");
        }
        at = token.resourceVersion();
        start = token.start();
      } else if (query.resourceVersionMatch().equals("Exact")) {
        long exact = parseResourceVersion(query.resourceVersion());
        if (!history.covers(exact)) {
          throw StatusException.expired("too old resource version: " + exact + " ("
              + (history.compactedRevision() + 1) + ")");
        }
        at = Math.min(exact, resourceVersion);
      } else if (!query.resourceVersion().isEmpty()) {
        parseResourceVersion(query.resourceVersion());
      }
      NavigableMap<String, ObjectNode> state = snapshot(storage, at);
      NavigableMap<String, ObjectNode> candidates = start.isEmpty() ? state : state.tailMap(start, true);
      if (storage.namespaced() && !query.namespace().isEmpty() && start.isEmpty()) {
        candidates = candidates.subMap(query.namespace() + "/", true, query.namespace() + "0", false);
      }
      List<ObjectNode> items = new ArrayList<>();
      String lastKey = null;
      long remaining = 0;
      for (Map.Entry<String, ObjectNode> entry : candidates.entrySet()) {
        if (!query.matches(entry.getValue())) {
          continue;
        }
        if (query.limit() > 0 && items.size() >= query.limit()) {
          remaining++;
          continue;
        }
        items.add(entry.getValue().deepCopy());
        lastKey = entry.getKey();
      }
      if (remaining > 0 && lastKey != null) {
        return new ListResult(items, at, new ContinueToken(at, lastKey + "\u0000").encode(),
            query.hasSelectors() ? null : remaining);
      }
      return new ListResult(items, at, "", null);
    }
  }

  /**
   * Starts a watch of {@code storage} objects in {@code namespace} (empty: all) matching
   * {@code filter}: from the current state as ADDED events when {@code from} is {@code null}, else
   * replaying the changes after {@code from}.
   *
   * @throws StatusException 410 Expired when {@code from} is older than the kept history
   */
  Watcher watch(ResourceType storage, String namespace, Predicate<JsonNode> filter, Long from) {
    synchronized (lock) {
      Watcher watcher = new Watcher(storage, namespace, filter, resourceVersion, WATCHER_CAPACITY);
      if (from == null) {
        for (ObjectNode object : objects.get(storage).values()) {
          if ((namespace.isEmpty() || namespace.equals(Json.meta(object, "namespace")))
              && filter.test(object)) {
            watcher.preload(new Watcher.Event(Change.ADDED, object));
          }
        }
      } else {
        for (Change change : history.after(Math.min(from, resourceVersion), resourceVersion)) {
          watcher.offer(change);
        }
      }
      watchers.add(watcher);
      return watcher;
    }
  }

  void unwatch(Watcher watcher) {
    watchers.remove(watcher);
    watcher.close();
  }

  /** Ends every open watch, as when an API server instance goes away; clients re-watch. */
  void closeWatchers() {
    for (Watcher watcher : watchers) {
      unwatch(watcher);
    }
  }

  @Override
  public void close() {
    closeWatchers();
    timers.shutdownNow();
  }

  // ---- internals ----

  private ObjectNode commit(ResourceType storage, String type, ObjectNode object, ObjectNode previous) {
    long version = ++resourceVersion;
    Json.metadata(object).put("resourceVersion", Long.toString(version));
    String key = objectKey(storage, Json.meta(object, "namespace"), Json.meta(object, "name"));
    if (type.equals(Change.DELETED)) {
      objects.get(storage).remove(key);
    } else {
      objects.get(storage).put(key, object);
    }
    Change change = new Change(type, storage, object, previous, version);
    history.append(change);
    for (Watcher watcher : watchers) {
      watcher.offer(change);
    }
    log.debug("{} {} {} at {}", type, storage, key, version);
    return object.deepCopy();
  }

  private NavigableMap<String, ObjectNode> snapshot(ResourceType storage, long at) {
    TreeMap<String, ObjectNode> current = objects.get(storage);
    if (at >= resourceVersion) {
      return current;
    }
    TreeMap<String, ObjectNode> state = new TreeMap<>(current);
    for (Change change : history.newestFirstAfter(at)) {
      if (change.resource() != storage) {
        continue;
      }
      String key = objectKey(storage, Json.meta(change.object(), "namespace"),
          Json.meta(change.object(), "name"));
      if (change.previous() == null) {
        state.remove(key);
      } else {
        state.put(key, change.previous());
      }
    }
    return state;
  }

  private static String objectKey(ResourceType type, String namespace, String name) {
    return key(type.storage().namespaced() ? namespace : "", name);
  }

  private static boolean hasStatusSubresource(ResourceType storage) {
    return storage.hasSubresource("status");
  }

  private static long parseResourceVersion(String text) {
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("resourceVersion: Invalid value: \"" + text
          + "\": must be a non-negative integer");
    }
  }

  static ResourceType typeOf(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    String kind = object.path("kind").asText("");
    for (ResourceType type : ResourceType.ALL) {
      if (type.apiVersion().equals(apiVersion) && type.kind().equals(kind)) {
        return type.storage();
      }
    }
    throw new IllegalArgumentException("not a served kind: " + apiVersion + " " + kind);
  }

  private static String randomSuffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return suffix.toString();
  }
}
