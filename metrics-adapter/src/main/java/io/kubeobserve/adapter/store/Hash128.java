package io.kubeobserve.adapter.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash3 x64 128-bit over a byte range, seeded with two 64-bit words. Series are found by
 * the 128-bit hash of their encoded identity, so the hot path needs no strings; two different
 * identities collide with probability about n²/2¹²⁹ (10⁻²⁷ for a million series).
 */
final class Hash128 {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  /** The high word of the last hash. */
  long hi;
  /** The low word of the last hash. */
  long lo;

  /** Hashes {@code bytes[offset, offset + length)}; the result is in {@link #hi} and {@link #lo}. */
  @SuppressWarnings("fallthrough")
  void hash(byte[] bytes, int offset, int length, long seedHi, long seedLo) {
    long h1 = seedHi;
    long h2 = seedLo;
    int blocks = length >>> 4;
    int p = offset;
    for (int i = 0; i < blocks; i++, p += 16) {
      long k1 = (long) LONGS.get(bytes, p);
      long k2 = (long) LONGS.get(bytes, p + 8);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    int tail = length & 15;
    switch (tail) {
      case 15: k2 ^= (long) (bytes[p + 14] & 0xff) << 48; // fall through
      case 14: k2 ^= (long) (bytes[p + 13] & 0xff) << 40; // fall through
      case 13: k2 ^= (long) (bytes[p + 12] & 0xff) << 32; // fall through
      case 12: k2 ^= (long) (bytes[p + 11] & 0xff) << 24; // fall through
      case 11: k2 ^= (long) (bytes[p + 10] & 0xff) << 16; // fall through
      case 10: k2 ^= (long) (bytes[p + 9] & 0xff) << 8; // fall through
      case 9:
        k2 ^= bytes[p + 8] & 0xff;
        h2 ^= mixK2(k2);
        // fall through
      case 8: k1 ^= (long) (bytes[p + 7] & 0xff) << 56; // fall through
      case 7: k1 ^= (long) (bytes[p + 6] & 0xff) << 48; // fall through
      case 6: k1 ^= (long) (bytes[p + 5] & 0xff) << 40; // fall through
      case 5: k1 ^= (long) (bytes[p + 4] & 0xff) << 32; // fall through
      case 4: k1 ^= (long) (bytes[p + 3] & 0xff) << 24; // fall through
      case 3: k1 ^= (long) (bytes[p + 2] & 0xff) << 16; // fall through
      case 2: k1 ^= (long) (bytes[p + 1] & 0xff) << 8; // fall through
      case 1:
        k1 ^= bytes[p] & 0xff;
        h1 ^= mixK1(k1);
        // fall through
      default:
        break;
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    hi = h1;
    lo = h2;
  }

  /** Mixes three words into one, for seeds derived from other hashes. */
  static long combine(long a, long b, long c) {
    return fmix(a ^ Long.rotateLeft(b, 21) * C1 ^ Long.rotateLeft(c, 42) * C2);
  }

  private static long mixK1(long k1) {
    k1 *= C1;
    k1 = Long.rotateLeft(k1, 31);
    return k1 * C2;
  }

  private static long mixK2(long k2) {
    k2 *= C2;
    k2 = Long.rotateLeft(k2, 33);
    return k2 * C1;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
