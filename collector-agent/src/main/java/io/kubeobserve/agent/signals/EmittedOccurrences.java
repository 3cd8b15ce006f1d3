package io.kubeobserve.agent.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of the pod signal occurrences already emitted, each with the pod it belongs to, kept in
 * {@code <checkpoints.dir>/pod-signals.json} so that a relist or a restart of the agent does not emit
 * an occurrence again. Every change is written whole to a temporary file that then replaces the
 * checkpoint (an atomic rename), so a crash leaves the old or the new file, never half of one.
 * Keys of pods that are gone are forgotten ({@link #retainPods}).
 *
 * <p>Thread-safe.
 */
public final class EmittedOccurrences {

  private static final Logger LOG = LoggerFactory.getLogger(EmittedOccurrences.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String FILE = "pod-signals.json";
  private static final int VERSION = 1;

  private final Path file;
  /** key → pod UID, in emission order. */
  private final Map<String, String> keys = new LinkedHashMap<>();

  private EmittedOccurrences(Path file) {
    this.file = file;
  }

  /**
   * Loads the checkpoint of {@code directory} (creating the directory when missing). A checkpoint
   * that cannot be read is logged and set aside as {@code pod-signals.json.unreadable}: signals may
   * then be emitted once more, which consumers deduplicate by {@code log.record.uid}.
   */
  public static EmittedOccurrences load(Path directory) throws IOException {
    Files.createDirectories(directory);
    EmittedOccurrences store = new EmittedOccurrences(directory.resolve(FILE));
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(store.file));
      if (root == null || root.path("version").asInt() != VERSION || !root.path("emitted").isObject()) {
        throw new IOException("not a version " + VERSION + " pod signal checkpoint");
      }
      root.path("emitted").fields().forEachRemaining(entry -> store.keys.put(entry.getKey(), entry.getValue().asText()));
      LOG.info("{} pod signal occurrences already emitted, from {}", store.keys.size(), store.file);
    } catch (NoSuchFileException e) {
      LOG.info("no pod signal checkpoint at {} yet", store.file);
    } catch (IOException e) {
      Path aside = directory.resolve(FILE + ".unreadable");
      LOG.warn("the pod signal checkpoint {} cannot be read ({}); moved to {} and starting empty", store.file, e.toString(),
          aside);
      Files.move(store.file, aside, StandardCopyOption.REPLACE_EXISTING);
    }
    return store;
  }

  /** Whether any of {@code keys} was emitted. */
  public synchronized boolean containsAny(Collection<String> candidates) {
    for (String key : candidates) {
      if (keys.containsKey(key)) {
        return true;
      }
    }
    return false;
  }

  /** Records {@code newKeys} of {@code podUid} as emitted and writes the checkpoint. */
  public synchronized void add(String podUid, List<String> newKeys) throws IOException {
    boolean changed = false;
    for (String key : newKeys) {
      changed |= keys.put(key, podUid) == null;
    }
    if (changed) {
      write();
    }
  }

  /** Forgets the keys of pods not in {@code podUids}; writes the checkpoint when that changed something. */
  public synchronized void retainPods(Set<String> podUids) throws IOException {
    boolean changed = false;
    for (Iterator<Map.Entry<String, String>> it = keys.entrySet().iterator(); it.hasNext(); ) {
      if (!podUids.contains(it.next().getValue())) {
        it.remove();
        changed = true;
      }
    }
    if (changed) {
      write();
    }
  }

  /** Forgets the keys of one pod. */
  public synchronized void forgetPod(String podUid) throws IOException {
    retainPods(podsExcept(podUid));
  }

  private Set<String> podsExcept(String podUid) {
    Set<String> pods = new HashSet<>(keys.values());
    pods.remove(podUid);
    return pods;
  }

  public synchronized int size() {
    return keys.size();
  }

  private void write() throws IOException {
    ObjectNode root = JSON.createObjectNode().put("version", VERSION);
    ObjectNode emitted = root.putObject("emitted");
    keys.forEach(emitted::put);
    Path temporary = file.resolveSibling(FILE + ".tmp");
    Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public synchronized String toString() {
    return "EmittedOccurrences[" + file + ", " + keys.size() + " keys]";
  }
}
