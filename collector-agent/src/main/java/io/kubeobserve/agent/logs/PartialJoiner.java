package io.kubeobserve.agent.logs;

import io.micrometer.core.instrument.Counter;

/**
 * Joins the pieces a container runtime split an entry into (CRI {@code P} lines up to the next
 * {@code F} line, docker {@code log} values without a trailing newline up to the one with it), per
 * stream, as stdout and stderr pieces interleave. An entry longer than {@code logs.maxEntryBytes}
 * is passed on in pieces of at most that size, each flagged as a piece: nothing is dropped.
 * Unparsed lines pass through as they are. The joined entry keeps the time of its first piece.
 */
final class PartialJoiner {

  private final int maxEntryBytes;
  private final EntrySink next;
  private final Pending[] pending = {new Pending(), new Pending()};

  /** An entry being joined for one stream. */
  private static final class Pending {
    byte[] buffer = new byte[0];
    int length;
    long offset = -1;
    /** Offset of the line the entry began on: where a re-read must start to give the same entry. */
    long startOffset;
    long timeNanos;
    boolean split;
    int pieces;
    long sinceNanos;

    boolean active() {
      return offset >= 0;
    }

    void reset() {
      offset = -1;
      length = 0;
      split = false;
      pieces = 0;
    }
  }

  private final Counter reassembled;

  /** @param reassembled counts entries joined from more than one line */
  PartialJoiner(int maxEntryBytes, EntrySink next, Counter reassembled) {
    this.maxEntryBytes = maxEntryBytes;
    this.next = next;
    this.reassembled = reassembled;
  }

  /**
   * One parsed line.
   *
   * @param lineOffset offset of the line's first byte in the file
   * @param messageOffset offset in the file that stands for the message's first byte (piece ids derive from it)
   * @param nowNanos monotonic time, for {@link #flushOlderThan}
   */
  void accept(ParsedLine line, long lineOffset, long messageOffset, long nowNanos) {
    if (line.format == ParsedLine.Format.UNPARSED) {
      flush();
      next.entry(lineOffset, Timestamps.INVALID, null, line.message, line.messageStart, line.messageLength, false, true);
      return;
    }
    Pending entry = pending[line.stream.ordinal()];
    if (!entry.active() && !line.continued && line.messageLength <= maxEntryBytes) {
      next.entry(lineOffset, line.timeNanos, line.stream, line.message, line.messageStart, line.messageLength, false,
          false);
      return;
    }
    if (!entry.active()) {
      entry.offset = lineOffset;
      entry.startOffset = lineOffset;
      entry.timeNanos = line.timeNanos;
    }
    entry.sinceNanos = nowNanos;
    entry.pieces++;
    int done = 0;
    while (done < line.messageLength) {
      if (entry.length == maxEntryBytes) {
        emitPiece(line.stream, entry);
        entry.offset = messageOffset + done;
      }
      int take = Math.min(line.messageLength - done, maxEntryBytes - entry.length);
      ensureCapacity(entry, entry.length + take);
      System.arraycopy(line.message, line.messageStart + done, entry.buffer, entry.length, take);
      entry.length += take;
      done += take;
    }
    if (!line.continued) {
      emit(line.stream, entry);
    }
  }

  private void emitPiece(LogStream stream, Pending entry) {
    entry.split = true;
    next.entry(entry.offset, entry.timeNanos, stream, entry.buffer, 0, entry.length, true, false);
    entry.length = 0;
  }

  private void emit(LogStream stream, Pending entry) {
    if (entry.pieces > 1) {
      reassembled.increment();
    }
    next.entry(entry.offset, entry.timeNanos, stream, entry.buffer, 0, entry.length, entry.split, false);
    entry.reset();
    if (entry.buffer.length > 65536) {
      entry.buffer = new byte[0];
    }
  }

  private void ensureCapacity(Pending entry, int needed) {
    if (entry.buffer.length < needed) {
      byte[] grown = new byte[Math.min(maxEntryBytes, Math.max(needed, entry.buffer.length * 2))];
      System.arraycopy(entry.buffer, 0, grown, 0, entry.length);
      entry.buffer = grown;
    }
  }

  /** Passes on, as they are, entries whose last piece came before {@code deadlineNanos}. */
  void flushOlderThan(long deadlineNanos) {
    for (LogStream stream : LogStream.values()) {
      Pending entry = pending[stream.ordinal()];
      if (entry.active() && entry.sinceNanos - deadlineNanos <= 0) {
        emit(stream, entry);
      }
    }
  }

  /** Passes on every entry being joined (the file is released, or an unparsed line ends them). */
  void flush() {
    for (LogStream stream : LogStream.values()) {
      if (pending[stream.ordinal()].active()) {
        emit(stream, pending[stream.ordinal()]);
      }
    }
  }

  /** The offset of the earliest entry being joined, or {@link Long#MAX_VALUE}: a checkpoint must not pass it. */
  long earliestPendingOffset() {
    long earliest = Long.MAX_VALUE;
    for (Pending entry : pending) {
      if (entry.active()) {
        earliest = Math.min(earliest, entry.startOffset);
      }
    }
    return earliest;
  }

  /** Forgets what is being joined (the file is read again from an earlier offset). */
  void clear() {
    for (Pending entry : pending) {
      entry.reset();
    }
  }
}
