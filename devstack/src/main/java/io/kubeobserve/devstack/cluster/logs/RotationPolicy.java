package io.kubeobserve.devstack.cluster.logs;

/**
 * When and how container log files are rotated.
 *
 * @param maxBytes rotate once the current file is larger than this (kubelet {@code
 *     containerLogMaxSize}, default 10 MiB); 0 disables rotation
 * @param maxRotatedFiles rotated files kept per container; older ones are deleted (kubelet keeps
 *     {@code containerLogMaxFiles} − 1 rotated files, default 4)
 * @param mode {@link Mode#RENAME} as the kubelet does, or {@link Mode#COPYTRUNCATE} as logrotate's
 *     {@code copytruncate} does
 */
public record RotationPolicy(long maxBytes, int maxRotatedFiles, Mode mode) {

  /** How the current file becomes a rotated one. */
  public enum Mode {
    /** Rename {@code 0.log} to {@code 0.log.<yyyyMMdd-HHmmss>} and create a new {@code 0.log} (kubelet). */
    RENAME,
    /** Copy {@code 0.log} to {@code 0.log.<yyyyMMdd-HHmmss>}, then truncate {@code 0.log} to 0 bytes (same inode). */
    COPYTRUNCATE
  }

  public RotationPolicy {
    if (maxBytes < 0 || maxRotatedFiles < 0) {
      throw new IllegalArgumentException("maxBytes and maxRotatedFiles must be >= 0");
    }
    if (mode == null) {
      throw new NullPointerException("mode");
    }
  }

  /** The kubelet's defaults: 10 MiB, 4 rotated files, rename. */
  public static RotationPolicy kubeletDefault() {
    return new RotationPolicy(10L * 1024 * 1024, 4, Mode.RENAME);
  }

  /** No rotation. */
  public static RotationPolicy none() {
    return new RotationPolicy(0, 0, Mode.RENAME);
  }
}
