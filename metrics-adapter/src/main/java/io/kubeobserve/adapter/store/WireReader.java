package io.kubeobserve.adapter.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the protobuf wire format of a byte range without building messages: tags, varints,
 * fixed-width numbers and the bounds of length-delimited fields. Every read checks its bounds and
 * throws {@link MalformedException} on truncated or impossible input.
 */
final class WireReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Input that is not valid protobuf. */
  static final class MalformedException extends RuntimeException {
    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  byte[] buf;
  int pos;
  int limit;

  WireReader reset(byte[] buf, int pos, int limit) {
    this.buf = buf;
    this.pos = pos;
    this.limit = limit;
    return this;
  }

  boolean hasRemaining() {
    return pos < limit;
  }

  /** The next field's tag; its number is {@code tag >>> 3}, its wire type {@code tag & 7}. */
  int readTag() {
    long tag = readVarint();
    if (tag >>> 3 == 0 || tag > 0xFFFF_FFFFL) {
      throw new MalformedException("invalid field tag " + tag + " at byte " + pos);
    }
    return (int) tag;
  }

  long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw new MalformedException("truncated varint at byte " + pos);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new MalformedException("varint longer than 10 bytes at byte " + pos);
  }

  long readFixed64() {
    if (limit - pos < 8) {
      throw new MalformedException("truncated fixed64 at byte " + pos);
    }
    long value = (long) LONGS.get(buf, pos);
    pos += 8;
    return value;
  }

  double readDouble() {
    return Double.longBitsToDouble(readFixed64());
  }

  /** Reads a length prefix and returns the end of the field's bytes, which start at {@link #pos}. */
  int readLengthEnd() {
    long length = readVarint();
    if (length < 0 || length > limit - pos) {
      throw new MalformedException("length " + length + " at byte " + pos + " exceeds its message");
    }
    return pos + (int) length;
  }

  /** Skips the value of a field of this wire type. */
  void skip(int wireType) {
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> {
        if (limit - pos < 8) {
          throw new MalformedException("truncated fixed64 at byte " + pos);
        }
        pos += 8;
      }
      case LEN -> pos = readLengthEnd();
      case FIXED32 -> {
        if (limit - pos < 4) {
          throw new MalformedException("truncated fixed32 at byte " + pos);
        }
        pos += 4;
      }
      default -> throw new MalformedException("unsupported wire type " + wireType + " at byte " + pos);
    }
  }

  /** Checks that a field has the wire type its schema says. */
  static void expect(int tag, int wireType) {
    if ((tag & 7) != wireType) {
      throw new MalformedException("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected " + wireType);
    }
  }
}
