package io.kubeobserve.devstack.elasticsearch;

import io.kubeobserve.devstack.process.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Elasticsearch server distribution that Maven resolved for devstack ({@code
 * org.elasticsearch.distribution.integ-test-zip:elasticsearch:<version>:zip}), unpacked once into a
 * cache directory that later runs reuse.
 */
final class ElasticsearchDistribution {

  /** System property naming the zip explicitly. */
  static final String ZIP_PROPERTY = "kube-observe.elasticsearch.zip";

  /**
   * System property naming the cache directory (default {@code
   * java.io.tmpdir}/kube-observe-devstack).
   */
  static final String CACHE_DIR_PROPERTY = "kube-observe.devstack.cacheDir";

  private static final Logger log = LoggerFactory.getLogger(ElasticsearchDistribution.class);
  private static final String BUILD_FACTS = "distribution.properties";
  private static final String MARKER = ".kube-observe-unpacked";
  private static final Object UNPACK_LOCK = new Object();

  private static final int CENTRAL_DIRECTORY_END = 0x06054b50;
  private static final int CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
  private static final int MADE_BY_UNIX = 3;
  private static final int FILE_TYPE_MASK = 0170000;
  private static final int SYMLINK = 0120000;
  private static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = permissions(0755);

  private ElasticsearchDistribution() {}

  /** The Elasticsearch version devstack was built against. */
  static String version() {
    String version = buildFacts().getProperty("elasticsearch.version", "");
    if (version.isBlank() || version.startsWith("${")) {
      throw new IllegalStateException(
          BUILD_FACTS + " lacks elasticsearch.version: build devstack with Maven");
    }
    return version;
  }

  /** The cache directory of the local stack. */
  static Path cacheRoot() {
    String configured = System.getProperty(CACHE_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "kube-observe-devstack").toAbsolutePath();
  }

  /**
   * The unpacked distribution (its {@code bin/elasticsearch} is executable), unpacking if needed.
   */
  @SuppressWarnings("try") // the file lock is held, not used
  static Path home(String version) {
    Path cacheRoot = cacheRoot();
    Path home = cacheRoot.resolve("elasticsearch-" + version);
    if (Files.exists(home.resolve(MARKER))) {
      return home;
    }
    synchronized (UNPACK_LOCK) {
      try {
        createReadableDirectories(cacheRoot);
        Path lockFile = cacheRoot.resolve("elasticsearch-" + version + ".lock");
        try (FileChannel channel =
                FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          if (Files.exists(home.resolve(MARKER))) {
            return home;
          }
          Path zip = zip(version);
          long started = System.nanoTime();
          Path staging =
              Files.createTempDirectory(cacheRoot, "elasticsearch-" + version + ".unpacking-");
          try {
            unpack(zip, staging);
            Files.setPosixFilePermissions(staging, DIRECTORY_PERMISSIONS);
            FileTrees.deleteQuietly(home);
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
          } finally {
            FileTrees.deleteQuietly(staging);
          }
          Files.writeString(home.resolve(MARKER), zip + "\n");
          log.info(
              "unpacked {} into {} in {} ms",
              zip.getFileName(),
              home,
              (System.nanoTime() - started) / 1_000_000);
          return home;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot unpack Elasticsearch " + version + " into " + home, e);
      }
    }
  }

  /** Where the distribution zip is: the system property, the build's record, or ~/.m2. */
  static Path zip(String version) {
    List<Path> candidates = new ArrayList<>();
    String configured = System.getProperty(ZIP_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      candidates.add(Path.of(configured));
    }
    Properties facts = buildFacts();
    String recorded = facts.getProperty("elasticsearch.zip", "");
    if (!recorded.isBlank() && !recorded.startsWith("${")) {
      candidates.add(Path.of(recorded));
    }
    String relative =
        "org/elasticsearch/distribution/integ-test-zip/elasticsearch/"
            + version
            + "/elasticsearch-"
            + version
            + ".zip";
    String repository = facts.getProperty("maven.localRepository", "");
    if (!repository.isBlank() && !repository.startsWith("${")) {
      candidates.add(Path.of(repository).resolve(relative));
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".m2", "repository").resolve(relative));
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Elasticsearch distribution zip not found (looked at "
            + candidates
            + "): build devstack with Maven (it resolves "
            + "org.elasticsearch.distribution.integ-test-zip:elasticsearch:"
            + version
            + ":zip) or set -D"
            + ZIP_PROPERTY
            + "=/path/to/elasticsearch-"
            + version
            + ".zip");
  }

  private static Properties buildFacts() {
    Properties properties = new Properties();
    try (InputStream in = ElasticsearchDistribution.class.getResourceAsStream(BUILD_FACTS)) {
      if (in == null) {
        throw new IllegalStateException(
            BUILD_FACTS + " missing next to " + ElasticsearchDistribution.class.getName());
      }
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + BUILD_FACTS, e);
    }
    return properties;
  }

  /** Unpacks {@code zip} into {@code target}, dropping the top directory, keeping Unix modes. */
  static void unpack(Path zip, Path target) throws IOException {
    Map<String, Integer> modes = unixModes(zip);
    Path root = target.toAbsolutePath().normalize();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        int slash = name.indexOf('/');
        String inner = slash < 0 ? "" : name.substring(slash + 1);
        if (inner.isEmpty()) {
          continue;
        }
        Path destination = root.resolve(inner).normalize();
        if (!destination.startsWith(root)) {
          throw new IOException("zip entry outside the target directory: " + name);
        }
        Integer mode = modes.get(name);
        if (entry.isDirectory()) {
          Files.createDirectories(destination);
          Files.setPosixFilePermissions(destination, DIRECTORY_PERMISSIONS);
          continue;
        }
        Files.createDirectories(destination.getParent());
        if (mode != null && (mode & FILE_TYPE_MASK) == SYMLINK) {
          try (InputStream in = file.getInputStream(entry)) {
            String linkTarget = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Files.createSymbolicLink(destination, Path.of(linkTarget));
          }
          continue;
        }
        try (InputStream in = file.getInputStream(entry)) {
          Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
        }
        boolean executable =
            mode != null ? (mode & 0111) != 0 : inner.startsWith("bin/") && !inner.endsWith(".bat");
        Files.setPosixFilePermissions(destination, permissions(executable ? 0755 : 0644));
      }
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(path, DIRECTORY_PERMISSIONS);
        }
      }
    }
  }

  /**
   * The Unix modes recorded in the zip's central directory ({@link ZipFile} does not expose them).
   * Empty for Zip64 archives, whose executables are then recognised by their directory.
   */
  static Map<String, Integer> unixModes(Path zip) throws IOException {
    Map<String, Integer> modes = new HashMap<>();
    try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
      long size = channel.size();
      int tailLength = (int) Math.min(size, 0xffff + 22);
      ByteBuffer tail = read(channel, size - tailLength, tailLength);
      int end = -1;
      for (int i = tailLength - 22; i >= 0; i--) {
        if (tail.getInt(i) == CENTRAL_DIRECTORY_END) {
          end = i;
          break;
        }
      }
      if (end < 0) {
        throw new IOException("not a zip file: " + zip);
      }
      int entries = tail.getShort(end + 10) & 0xffff;
      long directorySize = tail.getInt(end + 12) & 0xffffffffL;
      long directoryOffset = tail.getInt(end + 16) & 0xffffffffL;
      if (entries == 0xffff
          || directoryOffset == 0xffffffffL
          || directorySize > Integer.MAX_VALUE) {
        return modes;
      }
      ByteBuffer directory = read(channel, directoryOffset, (int) directorySize);
      int position = 0;
      while (position + 46 <= directorySize
          && directory.getInt(position) == CENTRAL_DIRECTORY_ENTRY) {
        int madeBy = directory.getShort(position + 4) & 0xffff;
        int nameLength = directory.getShort(position + 28) & 0xffff;
        int extraLength = directory.getShort(position + 30) & 0xffff;
        int commentLength = directory.getShort(position + 32) & 0xffff;
        long external = directory.getInt(position + 38) & 0xffffffffL;
        byte[] name = new byte[nameLength];
        directory.get(position + 46, name);
        if ((madeBy >> 8) == MADE_BY_UNIX) {
          modes.put(new String(name, StandardCharsets.UTF_8), (int) (external >>> 16));
        }
        position += 46 + nameLength + extraLength + commentLength;
      }
    }
    return modes;
  }

  private static ByteBuffer read(FileChannel channel, long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    return buffer.flip();
  }

  /** Creates {@code directory} (and its parents) readable and enterable by every user. */
  static void createReadableDirectories(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
      Files.setPosixFilePermissions(directory, DIRECTORY_PERMISSIONS);
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(order[bit]);
      }
    }
    return permissions;
  }
}
