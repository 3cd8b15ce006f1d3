package io.kubeobserve.agent.logs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Joins the entries of one application record written over several lines (a Java, Python or Go
 * stack trace) per stream: an entry whose text matches the start pattern begins a record, any
 * other entry is appended to the record being built, separated by a newline. A Python traceback
 * also takes its first unindented line (the exception) and ends there. A record is passed on when
 * the next one starts, when it would grow past {@code logs.maxEntryBytes}, when an unparsed line
 * or a split piece comes, or after {@code logs.multiline.timeout} without a new line.
 */
final class MultilineJoiner implements EntrySink {

  private static final byte[] PYTHON_TRACEBACK = "Traceback (most recent call last):".getBytes(StandardCharsets.UTF_8);

  private final Pattern start;
  private final int maxEntryBytes;
  private final EntrySink next;
  private final Record[] records = {new Record(), new Record()};
  private long nowNanos;

  /** The record being built for one stream. */
  private static final class Record {
    byte[] buffer = new byte[1024];
    int length;
    long offset = -1;
    long timeNanos;
    boolean traceback;
    long sinceNanos;

    boolean active() {
      return offset >= 0;
    }
  }

  MultilineJoiner(Pattern start, int maxEntryBytes, EntrySink next) {
    this.start = start;
    this.maxEntryBytes = maxEntryBytes;
    this.next = next;
  }

  /** The monotonic time stamped on records started from now on. */
  void now(long nanos) {
    this.nowNanos = nanos;
  }

  @Override
  public void entry(long offset, long timeNanos, LogStream stream, byte[] body, int bodyStart, int length,
      boolean piece, boolean unparsed) {
    if (unparsed || piece) {
      flush();
      next.entry(offset, timeNanos, stream, body, bodyStart, length, piece, unparsed);
      return;
    }
    Record record = records[stream.ordinal()];
    boolean indented = length > 0 && (body[bodyStart] == ' ' || body[bodyStart] == '\t');
    boolean starts = start.matcher(new String(body, bodyStart, length, StandardCharsets.UTF_8)).find();
    if (record.active() && record.traceback && !indented) {
      append(record, body, bodyStart, length);
      emit(stream, record);
      return;
    }
    if (record.active() && (starts || record.length + 1 + length > maxEntryBytes)) {
      emit(stream, record);
    }
    if (!record.active()) {
      record.offset = offset;
      record.timeNanos = timeNanos;
      record.length = 0;
      record.traceback = startsWith(body, bodyStart, length, PYTHON_TRACEBACK);
      ensureCapacity(record, length);
      System.arraycopy(body, bodyStart, record.buffer, 0, length);
      record.length = length;
    } else {
      append(record, body, bodyStart, length);
    }
    record.sinceNanos = nowNanos;
  }

  private void append(Record record, byte[] body, int bodyStart, int length) {
    ensureCapacity(record, record.length + 1 + length);
    record.buffer[record.length++] = '\n';
    System.arraycopy(body, bodyStart, record.buffer, record.length, length);
    record.length += length;
  }

  private static boolean startsWith(byte[] body, int start, int length, byte[] prefix) {
    return length >= prefix.length && Arrays.equals(body, start, start + prefix.length, prefix, 0,
        prefix.length);
  }

  private void ensureCapacity(Record record, int needed) {
    if (record.buffer.length < needed) {
      byte[] grown = new byte[Math.max(needed, record.buffer.length * 2)];
      System.arraycopy(record.buffer, 0, grown, 0, record.length);
      record.buffer = grown;
    }
  }

  private void emit(LogStream stream, Record record) {
    next.entry(record.offset, record.timeNanos, stream, record.buffer, 0, record.length, false, false);
    record.offset = -1;
    record.length = 0;
    if (record.buffer.length > 65536) {
      record.buffer = new byte[1024];
    }
  }

  /** Passes on records whose last line came before {@code deadlineNanos}. */
  void flushOlderThan(long deadlineNanos) {
    for (LogStream stream : LogStream.values()) {
      Record record = records[stream.ordinal()];
      if (record.active() && record.sinceNanos - deadlineNanos <= 0) {
        emit(stream, record);
      }
    }
  }

  /** Passes on every record being built. */
  void flush() {
    for (LogStream stream : LogStream.values()) {
      if (records[stream.ordinal()].active()) {
        emit(stream, records[stream.ordinal()]);
      }
    }
  }

  /** The offset of the earliest record being built, or {@link Long#MAX_VALUE}. */
  long earliestPendingOffset() {
    long earliest = Long.MAX_VALUE;
    for (Record record : records) {
      if (record.active()) {
        earliest = Math.min(earliest, record.offset);
      }
    }
    return earliest;
  }

  /** Forgets what is being built. */
  void clear() {
    for (Record record : records) {
      record.offset = -1;
      record.length = 0;
    }
  }
}
