package io.kubeobserve.agent.logs;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.regex.Pattern;

/**
 * Reads one open log file from an offset: splits its bytes into lines, parses them, joins partial
 * entries and (when enabled) multi-line records, and hands the entries to a sink. Works on the read
 * buffer's bytes; a line is copied only when it is joined. A line without its newline yet is kept
 * until the newline comes (a live file's last line is still being written), or until {@link
 * #finish} when the file is released. A line longer than the buffer's cap ({@code
 * logs.maxEntryBytes} plus room for the CRI header) is passed on in pieces as it is read.
 *
 * <p>Offsets: {@link #position()} is where the next unconsumed line starts; {@link #safeOffset()}
 * is the earliest offset a re-read must start at to give the same entries (no later than the start
 * of any entry still being joined). Not thread-safe.
 */
final class LogFileReader {

  /**
   * An idle file holds this much; a file with a backlog gets up to {@value #BACKLOG_BUFFER} (every file
   * being read keeps it between reads: larger buys nothing but heap), a long line up to {@code
   * logs.maxEntryBytes} and room for its header.
   */
  private static final int INITIAL_BUFFER = 16 * 1024;
  private static final int BACKLOG_BUFFER = 64 * 1024;
  private static final int HEADER_ROOM = 1024;

  private FileChannel channel;
  private final int maxLineChunk;
  private final EntrySink sink;
  private final PartialJoiner partials;
  private final MultilineJoiner multiline;
  private final LineParser parser = new LineParser();
  private final ParsedLine line = new ParsedLine();
  private byte[] buffer = new byte[INITIAL_BUFFER];
  /** File offset of {@code buffer[0]}. */
  private long bufferOffset;
  private int consumed;
  private int filled;
  private boolean skipToNextLine;
  /** The head of a line longer than the buffer, whose further chunks are being passed on. */
  private boolean inLongLine;
  private ParsedLine.Format longFormat;
  private LogStream longStream;
  private long longTime;
  private boolean longContinued;
  private long longStart;

  /**
   * @param skipToNextLine the offset may be inside a line ({@code logs.startAt=end}): skip to the next one
   * @param multilineStart when present, records are joined per this start pattern
   */
  LogFileReader(FileChannel channel, long offset, boolean skipToNextLine, int maxEntryBytes, Pattern multilineStart,
      EntrySink sink, Counter reassembled) {
    this.channel = channel;
    this.bufferOffset = offset;
    this.skipToNextLine = skipToNextLine;
    this.maxLineChunk = maxEntryBytes + HEADER_ROOM;
    this.sink = sink;
    this.multiline = multilineStart == null ? null : new MultilineJoiner(multilineStart, maxEntryBytes, sink);
    this.partials = new PartialJoiner(maxEntryBytes, multiline != null ? multiline : sink, reassembled);
  }

  /** Where the next unconsumed line starts. */
  long position() {
    return bufferOffset + consumed;
  }

  /** How far the file was read into memory. */
  long readPosition() {
    return bufferOffset + filled;
  }

  /** The earliest offset a re-read must start at to give the same entries. */
  long safeOffset() {
    long safe = inLongLine ? longStart : position();
    safe = Math.min(safe, partials.earliestPendingOffset());
    if (multiline != null) {
      safe = Math.min(safe, multiline.earliestPendingOffset());
    }
    return safe;
  }

  /**
   * Reads at most {@code budget} bytes and passes on the entries they complete.
   *
   * @return the bytes read, 0 at the end of the file
   */
  int read(int budget, long nowNanos) throws IOException {
    if (multiline != null) {
      multiline.now(nowNanos);
    }
    int total = 0;
    while (total < budget) {
      makeRoom();
      int room = Math.min(buffer.length - filled, budget - total);
      int read = channel.read(ByteBuffer.wrap(buffer, filled, room), bufferOffset + filled);
      if (read <= 0) {
        shrinkWhenIdle();
        break;
      }
      filled += read;
      total += read;
      consumeLines(nowNanos);
    }
    return total;
  }

  /** Moves the unconsumed bytes to the front, growing the buffer for a backlog or a long line. */
  private void makeRoom() {
    if (filled < buffer.length) {
      return;
    }
    int limit = consumed == 0 ? maxLineChunk : BACKLOG_BUFFER;
    byte[] target = buffer.length < limit ? new byte[Math.min(limit, buffer.length * 2)] : buffer;
    System.arraycopy(buffer, consumed, target, 0, filled - consumed);
    buffer = target;
    bufferOffset += consumed;
    filled -= consumed;
    consumed = 0;
  }

  /** At the end of the file with nothing pending in the buffer: back to the small buffer. */
  private void shrinkWhenIdle() {
    if (consumed == filled && buffer.length > INITIAL_BUFFER) {
      buffer = new byte[INITIAL_BUFFER];
      bufferOffset += consumed;
      consumed = 0;
      filled = 0;
    }
  }

  private void consumeLines(long nowNanos) {
    int start = consumed;
    for (int i = start; i < filled; i++) {
      if (buffer[i] == '\n') {
        lineEnded(start, i, nowNanos);
        start = i + 1;
        consumed = start;
      }
    }
    if (consumed == 0 && filled == buffer.length && buffer.length >= maxLineChunk) {
      longLineChunk(nowNanos);
    }
  }

  private void lineEnded(int start, int end, long nowNanos) {
    long offset = bufferOffset + start;
    if (skipToNextLine) {
      skipToNextLine = false;
      return;
    }
    if (inLongLine) {
      inLongLine = false;
      passChunk(start, end, offset, longContinued, nowNanos);
      return;
    }
    parser.parse(buffer, start, end, line);
    partials.accept(line, offset, messageOffset(offset), nowNanos);
  }

  /** The buffer is full with one line that has no newline yet: pass on what it holds as a piece. */
  private void longLineChunk(long nowNanos) {
    long offset = bufferOffset;
    if (skipToNextLine) {
      consumed = filled;
      return;
    }
    if (!inLongLine) {
      parser.parse(buffer, 0, filled, line);
      inLongLine = true;
      longStart = offset;
      longFormat = line.format;
      longStream = line.stream;
      longTime = line.timeNanos;
      longContinued = line.continued;
      if (line.format == ParsedLine.Format.UNPARSED) {
        sink.entry(offset, Timestamps.INVALID, null, buffer, 0, filled, true, true);
      } else {
        line.continued = true;
        partials.accept(line, offset, messageOffset(offset), nowNanos);
      }
    } else {
      passChunk(0, filled, offset, true, nowNanos);
    }
    consumed = filled;
  }

  private void passChunk(int start, int end, long offset, boolean continued, long nowNanos) {
    if (longFormat == ParsedLine.Format.UNPARSED) {
      sink.entry(offset, Timestamps.INVALID, null, buffer, start, end - start, true, true);
      return;
    }
    line.format = longFormat;
    line.stream = longStream;
    line.timeNanos = longTime;
    line.continued = continued;
    line.message = buffer;
    line.messageStart = start;
    line.messageLength = end - start;
    partials.accept(line, offset, offset, nowNanos);
  }

  /** The file offset that stands for the parsed line's message start (piece ids derive from it). */
  private long messageOffset(long lineOffset) {
    return line.message == buffer ? bufferOffset + line.messageStart : lineOffset + 1;
  }

  /** Passes on entries and records whose last line came before the deadlines. */
  void flushOlderThan(long partialDeadlineNanos, long multilineDeadlineNanos) {
    partials.flushOlderThan(partialDeadlineNanos);
    if (multiline != null) {
      multiline.flushOlderThan(multilineDeadlineNanos);
    }
  }

  /**
   * The file is released: everything being joined is passed on as it is, and so is a last line
   * without its newline when {@code lastLineComplete} (a rotated or deleted file read to its end);
   * otherwise (a truncated file) that line is incomplete and left out.
   */
  void finish(long nowNanos, boolean lastLineComplete) {
    if (lastLineComplete && filled > consumed) {
      int start = consumed;
      consumed = filled;
      lineEnded(start, filled, nowNanos);
    }
    inLongLine = false;
    partials.flush();
    if (multiline != null) {
      multiline.flush();
    }
  }

  /**
   * Goes on reading from {@code other}, which holds the same bytes at the same offsets (the copy
   * copytruncate made of the file): what is buffered and being joined is kept.
   */
  void continueIn(FileChannel other) {
    channel = other;
  }

  /** Forgets everything read and starts again at {@code offset}, a line start (after a failed send). */
  void rewind(long offset) {
    bufferOffset = offset;
    consumed = 0;
    filled = 0;
    inLongLine = false;
    skipToNextLine = false;
    partials.clear();
    if (multiline != null) {
      multiline.clear();
    }
  }
}
