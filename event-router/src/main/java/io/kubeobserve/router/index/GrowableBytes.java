package io.kubeobserve.router.index;

import java.io.OutputStream;
import java.util.Arrays;

/** A byte array output stream without synchronization, whose array is read in place. */
final class GrowableBytes extends OutputStream {

  private byte[] bytes;
  private int size;

  GrowableBytes(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  @Override
  public void write(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] source, int offset, int length) {
    ensure(length);
    System.arraycopy(source, offset, bytes, size, length);
    size += length;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  byte[] array() {
    return bytes;
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }
}
