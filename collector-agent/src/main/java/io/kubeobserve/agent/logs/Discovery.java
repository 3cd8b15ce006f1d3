package io.kubeobserve.agent.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the container log files under the logs root: the kubelet's
 * {@code <root>/<namespace>_<pod>_<uid>/<container>/<n>.log}, their rotated siblings
 * ({@code <n>.log.<suffix>}, not compressed ones), and symbolic links at the root
 * ({@code /var/log/containers/*.log}) that lead to such a file. A directory or file that vanishes
 * while being listed is simply not found.
 */
final class Discovery {

  private static final Pattern LIVE = Pattern.compile("\\d+\\.log");
  private static final Pattern ROTATED = Pattern.compile("\\d+\\.log\\..+");
  private static final Pattern COMPRESSED = Pattern.compile(".*\\.(gz|zst|bz2|xz|tmp)$");

  /** A log file found: the path it was found at, the file it is (links followed), its pod. */
  record Found(Path path, PodLogPath pod, boolean rotated, long device, long inode) {}

  private final Path root;

  Discovery(Path root) {
    this.root = root;
  }

  /** Every log file under the root now. */
  List<Found> scan() {
    List<Found> found = new ArrayList<>();
    for (Path entry : list(root)) {
      String name = entry.getFileName().toString();
      if (Files.isDirectory(entry) && !Files.isSymbolicLink(entry)) {
        if (PodLogPath.parse(entry.resolve("c").resolve("0.log").toString()).isEmpty()) {
          continue; // not a pod directory <namespace>_<pod>_<uid>
        }
        for (Path container : list(entry)) {
          for (Path file : list(container)) {
            String fileName = file.getFileName().toString();
            boolean live = LIVE.matcher(fileName).matches();
            if (live || (ROTATED.matcher(fileName).matches() && !COMPRESSED.matcher(fileName).matches())) {
              add(found, file, file, !live);
            }
          }
        }
      } else if (name.endsWith(".log") && Files.isSymbolicLink(entry)) {
        try {
          add(found, entry, entry.toRealPath(), false);
        } catch (IOException e) {
          // a dangling link: its container is gone
        }
      }
    }
    return found;
  }

  /** The rotated siblings of the live file {@code live} ({@code <n>.log.<suffix>}, not compressed ones), newest name first. */
  static List<Path> rotatedSiblings(Path live) {
    String prefix = live.getFileName() + ".";
    List<Path> siblings = new ArrayList<>();
    for (Path file : list(live.getParent())) {
      String name = file.getFileName().toString();
      if (name.startsWith(prefix) && ROTATED.matcher(name).matches() && !COMPRESSED.matcher(name).matches()) {
        siblings.add(0, file);
      }
    }
    return siblings;
  }

  private static void add(List<Found> found, Path path, Path real, boolean rotated) {
    Optional<PodLogPath> pod = PodLogPath.parse(real.toString());
    if (pod.isEmpty() || !Files.isRegularFile(real)) {
      return;
    }
    try {
      long[] id = FileIdentity.deviceAndInode(real);
      found.add(new Found(path, pod.get(), rotated, id[0], id[1]));
    } catch (NoSuchFileException e) {
      // deleted meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> list(Path directory) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      stream.forEach(entries::add);
    } catch (IOException e) {
      // not a directory, or gone
    }
    entries.sort(null);
    return entries;
  }
}
