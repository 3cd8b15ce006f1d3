package io.kubeobserve.agent.kubelet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bearer token read from a file and read again when the file changes (its modification time, size
 * or identity), as the kubelet rotates projected service-account tokens by swapping a symbolic link.
 * The token is never logged.
 */
public final class TokenFile {

  private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);

  private final Path file;
  private Stamp stamp;
  private String token;

  private record Stamp(long modifiedMillis, long size, Object fileKey) {}

  public TokenFile(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  public Path file() {
    return file;
  }

  /**
   * The token as the file holds it now (stripped of surrounding blanks).
   *
   * @throws IOException when the file cannot be read
   */
  public synchronized String current() throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    Stamp now = new Stamp(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
    if (token == null || !now.equals(stamp)) {
      String read = Files.readString(file).strip();
      if (token != null && !read.equals(token)) {
        LOG.info("the token in {} changed; using the new one", file);
      }
      token = read;
      stamp = now;
    }
    return token;
  }

  /** Forgets the token so that the next {@link #current()} reads the file again (after a 401). */
  public synchronized void invalidate() {
    stamp = null;
    token = null;
  }

  /** The token file, if any: the configured one, else the pod's service-account token when it exists. */
  public static Optional<TokenFile> of(Optional<Path> configured) {
    Path serviceAccount = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");
    return configured.or(() -> Files.isReadable(serviceAccount) ? Optional.of(serviceAccount) : Optional.empty())
        .map(TokenFile::new);
  }

  @Override
  public String toString() {
    return "TokenFile[" + file + "]";
  }
}
