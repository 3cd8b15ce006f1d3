package io.kubeobserve.devstack.cluster;

import java.util.Random;
import java.util.UUID;

/**
 * Names and uids of the simulated objects, drawn from one seeded generator so that a cluster built
 * with the same seed and shape has the same names and uids. Not thread-safe: used while building.
 */
final class ClusterIds {

  /** The alphabet of generated name suffixes (k8s.io/apimachinery/pkg/util/rand). */
  private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

  private final Random random;

  ClusterIds(long seed) {
    this.random = new Random(seed);
  }

  /** A version 4 UUID. */
  String uid() {
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  /** A generateName suffix of {@code length} characters. */
  String suffix(int length) {
    StringBuilder suffix = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      suffix.append(ALPHANUMS.charAt(random.nextInt(ALPHANUMS.length())));
    }
    return suffix.toString();
  }

  /** 64 hex digits (image digests). */
  String sha256Hex() {
    StringBuilder hex = new StringBuilder(64);
    for (int i = 0; i < 4; i++) {
      hex.append(String.format("%016x", random.nextLong()));
    }
    return hex.toString();
  }
}
