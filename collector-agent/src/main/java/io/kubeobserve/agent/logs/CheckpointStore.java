package io.kubeobserve.agent.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log files' checkpoints, {@code <checkpoints.dir>/log-checkpoints.json}: per file identity, the
 * offset up to which every record was acknowledged by Kafka (and the path it was last seen at).
 * Written whole to a temporary file, flushed to disk, then renamed over the old one, so a crash
 * leaves the old or the new checkpoint, never half of one. Its presence also tells a restart from
 * the agent's first start ({@code logs.startAt} applies only to the first).
 */
final class CheckpointStore {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String FILE = "log-checkpoints.json";
  private static final int VERSION = 1;

  /** One file's checkpoint. */
  record Checkpoint(FileIdentity identity, long offset, String path) {}

  private final Path file;
  private final boolean existed;
  private final List<Checkpoint> loaded;

  private CheckpointStore(Path file, boolean existed, List<Checkpoint> loaded) {
    this.file = file;
    this.existed = existed;
    this.loaded = loaded;
  }

  /**
   * Loads the checkpoints of {@code directory} (created when missing). An unreadable checkpoint is
   * set aside as {@code log-checkpoints.json.unreadable} and logged; files are then read from their
   * start (duplicates, deduplicated downstream by {@code log.record.uid}, rather than loss).
   */
  static CheckpointStore load(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(FILE);
    List<Checkpoint> loaded = new ArrayList<>();
    try {
      JsonNode root = JSON.readTree(Files.readAllBytes(file));
      if (root == null || root.path("version").asInt() != VERSION || !root.path("files").isArray()) {
        throw new IOException("not a version " + VERSION + " log checkpoint");
      }
      for (JsonNode entry : root.path("files")) {
        loaded.add(new Checkpoint(new FileIdentity(entry.path("device").asLong(), entry.path("inode").asLong(),
            entry.path("fingerprintLength").asInt(), Long.parseUnsignedLong(entry.path("fingerprint").asText(), 16)),
            entry.path("offset").asLong(), entry.path("path").asText()));
      }
      LOG.info("{} log file checkpoints from {}", loaded.size(), file);
      return new CheckpointStore(file, true, loaded);
    } catch (NoSuchFileException e) {
      LOG.info("no log checkpoint at {}: first start", file);
      return new CheckpointStore(file, false, loaded);
    } catch (IOException | RuntimeException e) {
      Path aside = directory.resolve(FILE + ".unreadable");
      LOG.warn("the log checkpoint {} cannot be read ({}); moved to {}; files are read from their start", file,
          e.toString(), aside);
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      return new CheckpointStore(file, true, loaded);
    }
  }

  /** Whether a checkpoint existed at load: this is a restart, not the agent's first start. */
  boolean existed() {
    return existed;
  }

  /**
   * The loaded checkpoint of the open file with this device and inode, if any still matches its
   * first bytes (a file truncated by copytruncate has two: its content before, read on in the copy,
   * and after).
   */
  Optional<Checkpoint> find(long device, long inode, FileChannel channel) throws IOException {
    for (Checkpoint checkpoint : loaded) {
      FileIdentity identity = checkpoint.identity();
      if (identity.device() == device && identity.inode() == inode && identity.sameContent(channel)) {
        return Optional.of(checkpoint);
      }
    }
    return Optional.empty();
  }

  /** The loaded checkpoints of files in {@code directory}. */
  List<Checkpoint> in(Path directory) {
    return loaded.stream().filter(c -> directory.equals(Path.of(c.path()).getParent())).toList();
  }

  /** Replaces the stored checkpoints by {@code checkpoints}. */
  void write(Collection<Checkpoint> checkpoints) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("version", VERSION);
    ArrayNode files = root.putArray("files");
    for (Checkpoint checkpoint : checkpoints) {
      files.addObject()
          .put("device", checkpoint.identity().device())
          .put("inode", checkpoint.identity().inode())
          .put("fingerprintLength", checkpoint.identity().fingerprintLength())
          .put("fingerprint", Long.toHexString(checkpoint.identity().fingerprint()))
          .put("offset", checkpoint.offset())
          .put("path", checkpoint.path());
    }
    Path temporary = file.resolveSibling(FILE + ".tmp");
    try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public String toString() {
    return "CheckpointStore[" + file + "]";
  }
}
