package io.kubeobserve.core.contract;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A batch of log records of one resource and one instrumentation scope, written record by record
 * straight into the protobuf wire format of an OTLP {@code ExportLogsServiceRequest} (one {@code
 * ResourceLogs} with one {@code ScopeLogs}): the bytes {@code toByteArray()} of the generated
 * classes gives for the same request, without an object per record or a second pass to measure
 * and encode. For producers of many records per second (the agent's log lines); others build the
 * generated messages and use {@link OtlpCodec#encodeLogs}.
 *
 * <p>A record is written in field order: {@link #startRecord} (time, body), its attributes
 * ({@link #attribute}, {@link #uid}), {@link #endRecord} (observed time). The contract is checked
 * as in {@link OtlpCodec#encodeLogs}: the resource must carry {@code k8s.cluster.name}, and a
 * record cannot end without {@code log.record.uid}. Not thread-safe.
 */
public final class OtlpLogBatch {

  /** Field tags (field number and wire type) of the messages written. */
  private static final int LENGTH_DELIMITED = 2;
  private static final byte TIME_UNIX_NANO = 1 << 3 | 1;
  private static final byte OBSERVED_TIME_UNIX_NANO = 11 << 3 | 1;
  private static final byte BODY = 5 << 3 | LENGTH_DELIMITED;
  private static final byte ATTRIBUTES = 6 << 3 | LENGTH_DELIMITED;
  /** Field 1 of ExportLogsServiceRequest, ResourceLogs and ScopeLogs, of KeyValue (key) and of AnyValue (string). */
  private static final byte FIELD_1 = 1 << 3 | LENGTH_DELIMITED;
  /** Field 2: ResourceLogs.scope_logs, ScopeLogs.log_records, KeyValue.value. */
  private static final byte FIELD_2 = 2 << 3 | LENGTH_DELIMITED;
  private static final byte BOOL_VALUE = 2 << 3;
  /** Bytes kept for a record's length before its content is written: records under 16 KiB need no move. */
  private static final int LENGTH_ROOM = 2;
  /** {@code log.record.uid} up to its value's digits, as an attribute field of a record. */
  private static final byte[] UID_FIELD = Attribute.string(Attributes.LOG_RECORD_UID, "0".repeat(RecordUid.HEX_LENGTH))
      .field;
  private static final int UID_DIGITS_AT = UID_FIELD.length - RecordUid.HEX_LENGTH;

  /** An attribute encoded once, as a record's attribute field, and copied as it is into each record carrying it. */
  public static final class Attribute {

    private final byte[] field;

    private Attribute(byte[] keyValue) {
      field = new byte[1 + varintSize(keyValue.length) + keyValue.length];
      int at = writeVarint(field, writeTag(field, 0, ATTRIBUTES), keyValue.length);
      System.arraycopy(keyValue, 0, field, at, keyValue.length);
    }

    /** A string attribute, as {@link OtlpValues#string} encodes it. */
    public static Attribute string(String key, String value) {
      byte[] text = value.getBytes(StandardCharsets.UTF_8);
      byte[] anyValue = new byte[1 + varintSize(text.length) + text.length];
      System.arraycopy(text, 0, anyValue, writeVarint(anyValue, writeTag(anyValue, 0, FIELD_1), text.length),
          text.length);
      return new Attribute(keyValue(key, anyValue));
    }

    /** A boolean attribute, as {@link OtlpValues#bool} encodes it. */
    public static Attribute bool(String key, boolean value) {
      return new Attribute(keyValue(key, new byte[] {BOOL_VALUE, (byte) (value ? 1 : 0)}));
    }

    private static byte[] keyValue(String key, byte[] anyValue) {
      byte[] name = key.getBytes(StandardCharsets.UTF_8);
      byte[] keyValue = new byte[2 + varintSize(name.length) + name.length + varintSize(anyValue.length)
          + anyValue.length];
      int at = writeVarint(keyValue, writeTag(keyValue, 0, FIELD_1), name.length);
      System.arraycopy(name, 0, keyValue, at, name.length);
      at = writeVarint(keyValue, writeTag(keyValue, at + name.length, FIELD_2), anyValue.length);
      System.arraycopy(anyValue, 0, keyValue, at, anyValue.length);
      return keyValue;
    }
  }

  private final byte[] scope;
  private byte[] resource;
  /** The records written, each as a ScopeLogs.log_records field. */
  private byte[] buffer;
  private int size;
  private int records;
  /** Where the record being written starts (its tag), or -1 between records. */
  private int recordStart = -1;
  private boolean recordHasUid;

  /** @param initialCapacity bytes of records the batch holds before it grows */
  public OtlpLogBatch(String scopeName, Resource resource, int initialCapacity) {
    this.scope = InstrumentationScope.newBuilder().setName(scopeName).build().toByteArray();
    resource(resource);
    this.buffer = new byte[initialCapacity];
  }

  /**
   * The resource of the batch from now on (the records written so far included); it must carry
   * {@code k8s.cluster.name}.
   */
  public void resource(Resource resource) {
    OtlpCodec.requireClusterName(resource);
    this.resource = resource.toByteArray();
  }

  /**
   * Starts a record: its time (0 for none) and its body, a string value. Valid UTF-8 is written as
   * it is; other bytes are decoded with replacement characters ({@code U+FFFD}), as a {@code
   * String} made of them would be.
   */
  public void startRecord(long timeUnixNano, byte[] body, int start, int length) {
    if (recordStart >= 0) {
      throw new IllegalStateException("the record before was not ended");
    }
    byte[] text = body;
    int textStart = start;
    int textLength = length;
    if (!isAscii(body, start, length)) {
      text = new String(body, start, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
      textStart = 0;
      textLength = text.length;
    }
    int anyValue = 1 + varintSize(textLength) + textLength;
    ensureRoom(1 + LENGTH_ROOM + 9 + 1 + varintSize(anyValue) + anyValue);
    recordStart = size;
    recordHasUid = false;
    int at = writeTag(buffer, size, FIELD_2) + LENGTH_ROOM;
    if (timeUnixNano != 0) {
      at = writeFixed64(buffer, writeTag(buffer, at, TIME_UNIX_NANO), timeUnixNano);
    }
    at = writeVarint(buffer, writeTag(buffer, at, BODY), anyValue);
    at = writeVarint(buffer, writeTag(buffer, at, FIELD_1), textLength);
    System.arraycopy(text, textStart, buffer, at, textLength);
    size = at + textLength;
  }

  /** Adds an attribute to the record being written. */
  public void attribute(Attribute attribute) {
    requireRecord();
    ensureRoom(attribute.field.length);
    System.arraycopy(attribute.field, 0, buffer, size, attribute.field.length);
    size += attribute.field.length;
  }

  /**
   * Adds {@code log.record.uid} to the record being written: the id of the line at {@code
   * byteOffset} of the file of {@code ids}.
   */
  public void uid(RecordUid.LogLines ids, long byteOffset) {
    requireRecord();
    ensureRoom(UID_FIELD.length);
    System.arraycopy(UID_FIELD, 0, buffer, size, UID_DIGITS_AT);
    ids.write(byteOffset, buffer, size + UID_DIGITS_AT);
    size += UID_FIELD.length;
    recordHasUid = true;
  }

  /** Ends the record being written, with its observed time (0 for none). */
  public void endRecord(long observedTimeUnixNano) {
    requireRecord();
    if (!recordHasUid) {
      size = recordStart;
      recordStart = -1;
      throw new IllegalStateException("log record without " + Attributes.LOG_RECORD_UID);
    }
    if (observedTimeUnixNano != 0) {
      ensureRoom(9);
      size = writeFixed64(buffer, writeTag(buffer, size, OBSERVED_TIME_UNIX_NANO), observedTimeUnixNano);
    }
    int contentStart = recordStart + 1 + LENGTH_ROOM;
    int length = size - contentStart;
    int shift = varintSize(length) - LENGTH_ROOM;
    if (shift != 0) {
      ensureRoom(Math.max(0, shift));
      System.arraycopy(buffer, contentStart, buffer, contentStart + shift, length);
      size += shift;
    }
    writeVarint(buffer, recordStart + 1, length);
    recordStart = -1;
    records++;
  }

  /** Records ended since the last {@link #clear}. */
  public int records() {
    return records;
  }

  /** Bytes of the records ended (the request's size, but for a few bytes of resource and scope). */
  public int size() {
    return recordStart >= 0 ? recordStart : size;
  }

  /** The {@code ExportLogsServiceRequest} of the records ended: one resource, one scope, the records in order. */
  public byte[] toByteArray() {
    if (recordStart >= 0) {
      throw new IllegalStateException("a record is being written");
    }
    int scopeLogs = 1 + varintSize(scope.length) + scope.length + size;
    int resourceLogs = 1 + varintSize(resource.length) + resource.length + 1 + varintSize(scopeLogs) + scopeLogs;
    byte[] request = new byte[1 + varintSize(resourceLogs) + resourceLogs];
    int at = writeVarint(request, writeTag(request, 0, FIELD_1), resourceLogs);
    at = writeVarint(request, writeTag(request, at, FIELD_1), resource.length);
    System.arraycopy(resource, 0, request, at, resource.length);
    at = writeVarint(request, writeTag(request, at + resource.length, FIELD_2), scopeLogs);
    at = writeVarint(request, writeTag(request, at, FIELD_1), scope.length);
    System.arraycopy(scope, 0, request, at, scope.length);
    System.arraycopy(buffer, 0, request, at + scope.length, size);
    return request;
  }

  /** Forgets the records, to fill the batch again (in the buffer it grew to). */
  public void clear() {
    size = 0;
    records = 0;
    recordStart = -1;
  }

  /**
   * Gives back the buffer's room beyond twice what it holds, and beyond {@code minCapacity}: a
   * batch kept between bursts does not keep the buffer of its largest one.
   */
  public void trim(int minCapacity) {
    int needed = Math.max(minCapacity, 2 * size);
    if (buffer.length > needed) {
      buffer = Arrays.copyOf(buffer, needed);
    }
  }

  private void requireRecord() {
    if (recordStart < 0) {
      throw new IllegalStateException("no record started");
    }
  }

  private void ensureRoom(int bytes) {
    if (size + bytes > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(size + bytes, 2 * buffer.length));
    }
  }

  private static boolean isAscii(byte[] bytes, int start, int length) {
    for (int i = start, end = start + length; i < end; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  private static int writeTag(byte[] target, int at, byte tag) {
    target[at] = tag;
    return at + 1;
  }

  private static int varintSize(int value) {
    return value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;
  }

  private static int writeVarint(byte[] target, int at, int value) {
    int rest = value;
    while ((rest & ~0x7f) != 0) {
      target[at++] = (byte) ((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    target[at] = (byte) rest;
    return at + 1;
  }

  private static int writeFixed64(byte[] target, int at, long value) {
    for (int i = 0; i < 8; i++) {
      target[at + i] = (byte) (value >>> (8 * i));
    }
    return at + 8;
  }
}
