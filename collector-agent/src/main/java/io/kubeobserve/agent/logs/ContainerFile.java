package io.kubeobserve.agent.logs;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpLogBatch;
import io.kubeobserve.core.contract.RecordUid;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One container log file being shipped: its reader, the batch of records being filled for Kafka,
 * and the batches Kafka has not acknowledged yet. The reader thread reads, fills and sends; the
 * producer's thread reports acknowledgements ({@link #acknowledged}). The checkpoint moves only
 * over a contiguous run of acknowledged batches, and never past an entry still being joined. A
 * failed batch makes the file read again from its checkpoint (duplicates, with the same {@code
 * log.record.uid}, rather than loss). Records are written straight into the batch's OTLP bytes
 * ({@link OtlpLogBatch}): nothing is allocated per line.
 */
final class ContainerFile implements EntrySink {

  /**
   * Sends a finished batch, an encoded OTLP {@code ExportLogsServiceRequest}; the sender calls {@link
   * #acknowledged} when Kafka answers.
   */
  interface Sender {
    void send(ContainerFile file, byte[] request, InFlight batch);
  }

  /** A batch handed to Kafka and not acknowledged yet. */
  static final class InFlight {
    final long readEnd;
    final long safeOffset;
    final int records;
    final long bytes;
    final int generation;
    final long sentAtNanos;
    boolean done;

    InFlight(long readEnd, long safeOffset, int records, long bytes, int generation, long sentAtNanos) {
      this.readEnd = readEnd;
      this.safeOffset = safeOffset;
      this.records = records;
      this.bytes = bytes;
      this.generation = generation;
      this.sentAtNanos = sentAtNanos;
    }
  }

  private static final OtlpLogBatch.Attribute PARTIAL =
      OtlpLogBatch.Attribute.bool(Attributes.KUBE_OBSERVE_LOG_PARTIAL, true);
  private static final OtlpLogBatch.Attribute UNPARSED =
      OtlpLogBatch.Attribute.bool(Attributes.KUBE_OBSERVE_LOG_UNPARSED, true);
  /** Bytes of a record besides its body and path: times, stream and id attributes, field tags and lengths. */
  private static final int RECORD_OVERHEAD = 96;
  /**
   * What the batch's buffer is trimmed to between reads: a file read at a trickle fills small batches
   * (they leave at their linger), and a file with a backlog sends its batch at the end of each read,
   * so no file keeps a buffer of {@code logs.batch.maxBytes} in memory between reads.
   */
  private static final int QUIET_BATCH_BUFFER = 16 * 1024;
  private static final String SCOPE = "io.kubeobserve.agent.logs";

  final FileIdentity identity;
  final PodLogPath pod;
  final byte[] key;
  private FileChannel channel;
  private final LogFileReader reader;
  private final RecordUid.LogLines ids;
  private final OtlpLogBatch.Attribute pathAttribute;
  private final int pathBytes;
  private final int maxBatchBytes;
  private final LogMeters meters;
  private final LogMeters.Namespace counters;
  private final Counter dropped;
  private final RateLimiter limiter;
  private final Sender sender;
  private Path path;
  private final OtlpLogBatch batch;
  private long batchStartNanos;
  private long observedNanos;
  private long batchReadStart;
  private final Deque<InFlight> inFlight = new ArrayDeque<>();
  private int generation;
  private volatile long ackedRead;
  private volatile long checkpoint;
  private volatile boolean failed;
  private volatile long size;
  /** When the file was first no longer found at its path (renamed or deleted), or -1. */
  long goneSinceNanos = -1;
  private boolean finished;

  /**
   * @param offset where reading starts (a line start, or inside a line with {@code skipToNextLine})
   * @param rateLimit bytes per second, 0 for none
   * @param dropped counter of lines dropped over the rate, when drops are configured; null: reading waits instead
   */
  ContainerFile(FileIdentity identity, Path path, PodLogPath pod, FileChannel channel, long offset,
      boolean skipToNextLine, Pattern multiline, int maxEntryBytes, int maxBatchBytes,
      long rateLimit, Counter dropped, Resource resource, LogMeters meters, Sender sender, long nowNanos) {
    this.identity = identity;
    this.ids = new RecordUid.LogLines(identity.id());
    this.path = path;
    this.pod = pod;
    this.key = pod.podUid().getBytes(StandardCharsets.UTF_8);
    this.channel = channel;
    this.pathAttribute = OtlpLogBatch.Attribute.string(Attributes.LOG_FILE_PATH, path.toString());
    this.pathBytes = path.toString().length();
    this.maxBatchBytes = maxBatchBytes;
    this.meters = meters;
    this.counters = meters.namespace(pod.namespace());
    this.dropped = dropped;
    this.limiter = rateLimit > 0 ? new RateLimiter(rateLimit, nowNanos) : null;
    this.sender = sender;
    this.batch = new OtlpLogBatch(SCOPE, resource, QUIET_BATCH_BUFFER);
    this.reader = new LogFileReader(channel, offset, skipToNextLine, maxEntryBytes, multiline, this,
        meters.reassembled);
    this.ackedRead = offset;
    this.checkpoint = offset;
    this.batchReadStart = offset;
  }

  Path path() {
    return path;
  }

  /** The file was found under another name (renamed by a rotation). */
  void movedTo(Path newPath) {
    this.path = newPath;
  }

  /**
   * The file was truncated after {@code copy} was made of it (copytruncate): reading goes on in the
   * copy at the same offsets, under this file's identity, so that nothing read is read again and
   * what the file held past the read position is read from the copy. The entry being joined across
   * the truncation is completed from the copy. The truncated file's handle is closed.
   */
  void continueIn(FileChannel copy, Path copyPath) throws IOException {
    FileChannel truncated = channel;
    channel = copy;
    reader.continueIn(copy);
    path = copyPath;
    size = copy.size();
    truncated.close();
  }

  /** The resource of the batch being filled and of the next ones. */
  void resource(Resource resource) {
    batch.resource(resource);
  }

  /**
   * Reads up to {@code budget} bytes (less when rate-limited) and sends full batches.
   *
   * @return bytes read
   */
  int read(int budget, long nowNanos, long observedEpochNanos) throws IOException {
    if (failed) {
      rewind();
    }
    size = channel.size();
    int allowed = budget;
    if (limiter != null && dropped == null) {
      allowed = (int) Math.min(budget, limiter.available(nowNanos));
      if (allowed == 0) {
        return 0;
      }
    }
    observedNanos = observedEpochNanos;
    int read = reader.read(allowed, nowNanos);
    if (read > 0) {
      counters.read().increment(read);
      if (limiter != null && dropped == null) {
        limiter.consume(read);
      }
    }
    if (batch.size() >= maxBatchBytes / 4) {
      sendBatch(nowNanos); // a backlog: the batch would fill soon, and is sent rather than kept until the next read
    }
    batch.trim(QUIET_BATCH_BUFFER);
    return read;
  }

  /**
   * Whether the file is shorter than what was read of it, or has new bytes but no longer starts with
   * the same ones (truncated and written again): checked before each read of new bytes.
   */
  boolean truncated() throws IOException {
    long now = channel.size();
    long read = reader.readPosition();
    if (now < read || (now > read && !identity.sameContent(channel))) {
      return true;
    }
    size = now;
    return false;
  }

  /**
   * Bytes that were in the file past the last whole line read when it was last looked at before a
   * truncation (lost to it when no copy holds them).
   */
  long unreadBytes() {
    return Math.max(0, size - reader.position());
  }

  /**
   * Sends what is due: entries joined for too long while the file holds nothing more to read (the
   * writer left them unfinished; a reader paused at the memory cap or a rate limit reads their
   * continuation first), and a batch older than its linger.
   */
  void flushDue(long nowNanos, long partialTimeoutNanos, long multilineTimeoutNanos, long lingerNanos)
      throws IOException {
    if (atEnd()) {
      reader.flushOlderThan(nowNanos - partialTimeoutNanos, nowNanos - multilineTimeoutNanos);
    }
    if (batch.records() > 0 && nowNanos - batchStartNanos >= lingerNanos) {
      sendBatch(nowNanos);
      batch.trim(QUIET_BATCH_BUFFER);
    }
  }

  /**
   * Reads nothing more: all joined entries are sent, and the last unterminated line too when {@code
   * lastLineComplete} (see {@link LogFileReader#finish}).
   */
  void finish(long nowNanos, boolean lastLineComplete) {
    if (!finished) {
      finished = true;
      reader.finish(nowNanos, lastLineComplete);
      if (batch.records() > 0) {
        sendBatch(nowNanos);
      }
    }
  }

  boolean finished() {
    return finished;
  }

  /** Kafka refused a batch: the next {@link #read} starts again from the checkpoint. */
  boolean failed() {
    return failed;
  }

  /** Whether everything the file holds now was read (not only what it held at the last read: reading may be paused). */
  boolean atEnd() throws IOException {
    return reader.readPosition() >= channel.size();
  }

  /** How far the file was read into memory: a copy must hold at least this much to be read on from. */
  long readPosition() {
    return reader.readPosition();
  }

  /** Sends the batch being filled, if any (the agent stops). */
  void sendOpenBatch(long nowNanos) {
    if (batch.records() > 0) {
      sendBatch(nowNanos);
    }
  }

  @Override
  public void entry(long offset, long timeNanos, LogStream stream, byte[] body, int start, int length, boolean piece,
      boolean unparsed) {
    if (limiter != null && dropped != null) {
      long now = System.nanoTime();
      if (limiter.available(now) <= 0) {
        dropped.increment();
        return;
      }
      limiter.consume(length);
    }
    if (batch.records() > 0 && batch.size() + length + pathBytes + RECORD_OVERHEAD > maxBatchBytes) {
      sendBatch(System.nanoTime());
    }
    if (batch.records() == 0) {
      batchStartNanos = System.nanoTime();
    }
    // the body as a string value: its bytes when valid UTF-8, else decoded with replacement characters
    batch.startRecord(timeNanos == Timestamps.INVALID ? 0 : timeNanos, body, start, length);
    if (stream != null) {
      batch.attribute(stream.attribute());
    }
    batch.attribute(pathAttribute);
    batch.uid(ids, offset);
    if (piece) {
      batch.attribute(PARTIAL);
      meters.split.increment();
    }
    if (unparsed) {
      batch.attribute(UNPARSED);
      meters.unparsed.increment();
    }
    batch.endRecord(observedNanos);
  }

  private void sendBatch(long nowNanos) {
    long readEnd = reader.position();
    long safe = Math.min(readEnd, reader.safeOffset());
    InFlight sent = new InFlight(readEnd, safe, batch.records(), readEnd - batchReadStart, generation, nowNanos);
    batchReadStart = readEnd;
    byte[] request = batch.toByteArray();
    batch.clear();
    synchronized (this) {
      inFlight.addLast(sent);
    }
    sender.send(this, request, sent);
  }

  /** Kafka's answer for {@code batch}; {@code error} null when acknowledged. Called on the producer's thread. */
  synchronized void acknowledged(InFlight batch, Exception error) {
    if (batch.generation != generation) {
      return;
    }
    if (error != null) {
      failed = true;
      return;
    }
    batch.done = true;
    meters.sendLatency.record(System.nanoTime() - batch.sentAtNanos, TimeUnit.NANOSECONDS);
    while (!inFlight.isEmpty() && inFlight.peekFirst().done) {
      InFlight first = inFlight.removeFirst();
      ackedRead = first.readEnd;
      checkpoint = Math.max(checkpoint, first.safeOffset);
      counters.lines().increment(first.records);
      counters.sent().increment(first.bytes);
    }
  }

  /** After a failed batch: everything past the checkpoint is read and sent again. */
  private synchronized void rewind() {
    generation++;
    inFlight.clear();
    failed = false;
    batch.clear();
    batch.trim(QUIET_BATCH_BUFFER);
    finished = false;
    reader.rewind(checkpoint);
    ackedRead = checkpoint;
    batchReadStart = checkpoint;
  }

  /** Offset up to which every record was acknowledged (a line start, no entry being joined before it). */
  long checkpoint() {
    return checkpoint;
  }

  /** Bytes read into memory and not acknowledged yet. */
  long buffered() {
    return Math.max(0, reader.readPosition() - ackedRead);
  }

  /** Bytes of the file past its checkpoint. */
  long checkpointLag() {
    return Math.max(0, size - checkpoint);
  }

  /**
   * Whether everything read of the finished file (finished once read to its end) was sent and
   * acknowledged: only then can it be closed and forgotten. A failed batch is read again through the
   * open handle first.
   */
  synchronized boolean settled() {
    return finished && batch.records() == 0 && inFlight.isEmpty() && !failed;
  }

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing a read-only channel loses nothing
    }
  }
}
