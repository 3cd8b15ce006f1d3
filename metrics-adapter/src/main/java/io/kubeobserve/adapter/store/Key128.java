package io.kubeobserve.adapter.store;

/** A 128-bit hash as a map key. Mutable so that one probe instance serves every lookup. */
final class Key128 {

  long hi;
  long lo;

  Key128() {}

  Key128(long hi, long lo) {
    this.hi = hi;
    this.lo = lo;
  }

  Key128 set(long hi, long lo) {
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  Key128 copy() {
    return new Key128(hi, lo);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Key128 key && key.hi == hi && key.lo == lo;
  }

  @Override
  public int hashCode() {
    return (int) (lo ^ (lo >>> 32));
  }
}
