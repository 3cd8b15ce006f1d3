package io.kubeobserve.agent.logs;

import io.kubeobserve.agent.AgentConfig;
import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.telemetry.KafkaTraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the node's container log files to the logs topic, at least once. One reader thread scans
 * the logs root every {@code logs.pollInterval}, reads every file in turn (at most {@value
 * #PASS_BUDGET} bytes per file per pass, less under its rate limit, none while {@code
 * logs.maxBufferedBytes} are unacknowledged), and sends one OTLP batch per container and batch,
 * keyed by pod UID, handed to a sender thread (so that reading never waits on Kafka, only on the
 * memory cap). Checkpoints (file identity, acknowledged offset) are written every second, and
 * every 100 ms while much is being acknowledged.
 *
 * <p>Rotation: a file is followed by device and inode, so a renamed file is read to its end through
 * its open handle, and a deleted one too; either is released {@code logs.rotateWait} after it was
 * noticed, once read to what it holds now, and forgotten once every record was acknowledged (a
 * failed batch is read again through the open handle first), then remembered as done (also in the
 * checkpoint) while it stays under its rotated name. A rotated file never seen (created and rotated
 * between two scans, or while the agent was down) is read from its start. A file found shorter than
 * what was read of it, or with other first bytes, was truncated: when a rotated sibling starts with
 * its first bytes and holds what was read (copytruncate's copy), reading goes on in the copy at the
 * same offsets under the same identity; otherwise the bytes it held past the last read are counted
 * as possibly lost. Its new content is read from its start as a new file. Lifecycle: {@link #start()}, {@link
 * #close()} (sends what was read, waits for Kafka, writes the checkpoints; safe twice).
 */
public final class LogTailer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogTailer.class);
  private static final int PASS_BUDGET = 256 * 1024;
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
  /**
   * Sooner than {@link #CHECKPOINT_INTERVAL} once a sixteenth of {@code logs.maxBufferedBytes} was
   * acknowledged since the last write (catching up), but not more often than this: what a crash sends
   * again stays near the unacknowledged bytes, not a second of catching up on top.
   */
  private static final Duration CHECKPOINT_MIN_INTERVAL = Duration.ofMillis(100);
  /** How long a new file waits for its pod's metadata before it is read with what its path says. */
  private static final Duration METADATA_WAIT = Duration.ofSeconds(5);
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final AgentConfig.Logs config;
  private final Path checkpointsDir;
  private final Resource nodeResource;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Optional<PodMetadataCache> metadata;
  private final CollectionPolicy policy;
  private final Pattern multilineStart;
  private final Clock clock;
  private final Tracer tracer;
  private final KafkaTraceContext traceContext;
  private final LogMeters meters;
  private final Counter dropped;
  private final Discovery discovery;
  /** Files being read, by device and inode. */
  private final Map<List<Long>, ContainerFile> active = new HashMap<>();
  /**
   * Files finished (rotated away, deleted, truncated) whose last batches Kafka has not acknowledged
   * yet, with the device and inode they are read from.
   */
  private final Map<ContainerFile, List<Long>> releasing = new HashMap<>();
  private final Map<List<Long>, Long> firstSeen = new HashMap<>();
  private final Set<List<Long>> ignored = new HashSet<>();
  /**
   * Files read to their end and acknowledged that are still there under a rotated name: not read
   * again, and kept in the checkpoint so that a restart does not read them again either.
   */
  private final Map<List<Long>, CheckpointStore.Checkpoint> done = new HashMap<>();
  /** Sizes of never-seen rotated files at the last scan: one is adopted once its size holds (a copy is complete). */
  private final Map<List<Long>, Long> unseenRotatedSizes = new HashMap<>();
  private final Map<ContainerFile, Optional<PodMetadata>> enrichedWith = new HashMap<>();
  /** Every file, active or releasing, for the gauges. */
  private volatile List<ContainerFile> snapshot = List.of();
  private volatile int activeCount;
  private CheckpointStore checkpoints;
  /** The files present at the agent's very first start ({@code logs.startAt} applies to them); null before the first scan. */
  private Set<List<Long>> presentAtFirstStart;
  private long startedNanos;
  /** Batches for the sender thread; bounded by {@code logs.maxBufferedBytes}, as the reader pauses there. */
  private final BlockingQueue<Runnable> outbox = new LinkedBlockingQueue<>();
  private Thread thread;
  private Thread sender;
  private volatile boolean running;
  private volatile boolean sending;
  private boolean closed;

  /**
   * @param nodeResource resource attributes every batch carries (cluster, node); pod attributes are added
   * @param metadata pod metadata from the API; empty: from the log paths only
   */
  public LogTailer(AgentConfig.Logs config, Path checkpointsDir, Resource nodeResource,
      Producer<byte[], byte[]> producer, String topic, Optional<PodMetadataCache> metadata, MeterRegistry registry,
      OpenTelemetry openTelemetry, Clock clock) {
    this.config = config;
    this.checkpointsDir = checkpointsDir;
    this.nodeResource = nodeResource;
    this.producer = producer;
    this.topic = topic;
    this.metadata = metadata;
    this.policy = new CollectionPolicy(config.include(), config.exclude(), config.multiline().enabled());
    this.multilineStart = Pattern.compile(config.multiline().startPattern());
    this.clock = clock;
    this.tracer = openTelemetry.getTracer("io.kubeobserve.agent.logs");
    this.traceContext = new KafkaTraceContext(openTelemetry);
    this.meters = new LogMeters(registry);
    this.dropped = config.rateLimit().drop() && config.rateLimit().bytesPerSecond() > 0
        ? meters.dropped("rate_limit") : null;
    this.discovery = new Discovery(config.root());
    meters.gauges(() -> sum(ContainerFile::buffered), () -> sum(ContainerFile::checkpointLag),
        () -> snapshot.size());
  }

  /** Log records Kafka acknowledged since start. */
  public long linesShipped() {
    return meters.linesSent();
  }

  /** Bytes of log files whose records Kafka acknowledged since start. */
  public long bytesShipped() {
    return meters.bytesSent();
  }

  /** Container log files being read now. */
  public int filesOpen() {
    return activeCount;
  }

  /** Loads the checkpoints and starts the reader thread. */
  public void start() throws IOException {
    checkpoints = CheckpointStore.load(checkpointsDir);
    startedNanos = System.nanoTime();
    running = true;
    sending = true;
    thread = new Thread(this::run, "log-reader");
    thread.start();
    sender = new Thread(this::runSender, "log-sender");
    sender.start();
  }

  private void run() {
    long lastScan = System.nanoTime() - config.pollInterval().toNanos();
    long lastCheckpoint = System.nanoTime();
    long ackedAtCheckpoint = 0;
    while (running) {
      try {
        long now = System.nanoTime();
        if (now - lastScan >= config.pollInterval().toNanos()) {
          scan(now);
          lastScan = now;
        }
        boolean progress = readAll(now);
        flushAndRelease(now);
        long acked = meters.bytesSent();
        if (now - lastCheckpoint >= CHECKPOINT_INTERVAL.toNanos() || (now - lastCheckpoint
            >= CHECKPOINT_MIN_INTERVAL.toNanos() && acked - ackedAtCheckpoint >= config.maxBufferedBytes() / 16)) {
          writeCheckpoints();
          lastCheckpoint = now;
          ackedAtCheckpoint = acked;
        }
        if (!progress) {
          LockSupport.parkNanos(IDLE_PARK_NANOS);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("reading the logs under {} failed; retrying in {}", config.root(), config.pollInterval(), e);
        LockSupport.parkNanos(config.pollInterval().toNanos());
      }
    }
  }

  private void scan(long now) throws IOException {
    if (metadata.isPresent() && !metadata.get().synced() && now - startedNanos < METADATA_WAIT.toNanos()) {
      return; // the pods' metadata decides what is collected: wait a little for the informer's list
    }
    Map<List<Long>, Discovery.Found> found = new HashMap<>();
    for (Discovery.Found file : discovery.scan()) {
      found.putIfAbsent(List.of(file.device(), file.inode()), file);
    }
    if (presentAtFirstStart == null) {
      presentAtFirstStart = checkpoints.existed() ? new HashSet<>() : new HashSet<>(found.keySet());
    }
    for (Map.Entry<List<Long>, ContainerFile> entry : new ArrayList<>(active.entrySet())) {
      ContainerFile file = entry.getValue();
      Discovery.Found at = found.get(entry.getKey());
      if (at == null || at.rotated()) {
        if (file.goneSinceNanos < 0) {
          file.goneSinceNanos = now;
          LOG.debug("{} was {}; reading it to its end", file.path(), at == null ? "deleted" : "rotated to " + at.path());
        }
        if (at != null) {
          file.movedTo(at.path());
        }
      } else {
        refreshMetadata(file);
      }
    }
    firstSeen.keySet().retainAll(found.keySet());
    ignored.retainAll(found.keySet());
    done.keySet().retainAll(found.keySet());
    unseenRotatedSizes.keySet().retainAll(found.keySet());
    Set<List<Long>> finishing = new HashSet<>(releasing.values());
    for (Map.Entry<List<Long>, Discovery.Found> entry : found.entrySet()) {
      boolean doneWith = entry.getValue().rotated() && (done.containsKey(entry.getKey())
          || finishing.contains(entry.getKey()));
      if (!active.containsKey(entry.getKey()) && !ignored.contains(entry.getKey()) && !doneWith) {
        adopt(entry.getKey(), entry.getValue(), now);
      }
    }
    updateSnapshot();
  }

  private void updateSnapshot() {
    snapshot = List.copyOf(snapshotOfAll());
    activeCount = active.size();
  }

  private void adopt(List<Long> key, Discovery.Found found, long now) throws IOException {
    Optional<PodMetadata> pod = podMetadata(found.pod());
    if (metadata.isPresent() && pod.isEmpty()
        && now - firstSeen.computeIfAbsent(key, k -> now) < METADATA_WAIT.toNanos()) {
      return;
    }
    if (!policy.collects(found.pod().namespace(), pod)) {
      ignored.add(key);
      LOG.info("not shipping {}: excluded by logs.include/logs.exclude", found.path());
      return;
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(found.path(), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!isFound(found, channel)) {
      return; // renamed between the scan and the open: both files are found where they are now at the next scan
    }
    FileIdentity identity = FileIdentity.of(found.device(), found.inode(), channel);
    if (identity == null) {
      channel.close();
      return; // empty: identified once it has a first byte
    }
    long size = channel.size();
    Optional<CheckpointStore.Checkpoint> saved = saved(key, found, channel);
    if (saved.isPresent() && saved.get().offset() <= size) {
      identity = saved.get().identity();
    } else {
      saved = Optional.empty();
    }
    long offset = 0;
    boolean skipToNextLine = false;
    if (saved.isPresent()) {
      offset = saved.get().offset();
    } else if (presentAtFirstStart.contains(key) && config.startAt() == AgentConfig.StartAt.END) {
      offset = size;
      skipToNextLine = size > 0 && !endsWithNewline(channel, size);
    }
    if (found.rotated() && saved.isEmpty() && !Long.valueOf(size).equals(unseenRotatedSizes.put(key, size))) {
      channel.close();
      return; // still being written (a copy in progress): looked at again on the next scan
    }
    if (found.rotated() && ((offset == size && !skipToNextLine) || (saved.isEmpty() && copyOfKnown(found, channel)))) {
      done.put(key, new CheckpointStore.Checkpoint(identity, size, found.path().toString()));
      channel.close();
      return; // rotated away and read whole already, or the copy copytruncate left of a file being read
    }
    ContainerFile file = new ContainerFile(identity, found.path(), found.pod(), channel, offset, skipToNextLine,
        policy.joinsMultiline(pod) ? multilineStart : null, config.maxEntryBytes(), config.batch().maxBytes(),
        config.rateLimit().bytesPerSecond(), dropped, resource(found.pod(), pod), meters, this::send, now);
    if (found.rotated()) {
      file.goneSinceNanos = now;
    }
    enrichedWith.put(file, pod);
    active.put(key, file);
    LOG.debug("reading {} ({}) from offset {}", found.path(), identity.id(), offset);
  }

  /**
   * Whether the file opened at the found path is the file found there, not the one a rotation
   * created there since the scan (which would be read under the other's identity); closes it if not.
   */
  private static boolean isFound(Discovery.Found found, FileChannel channel) throws IOException {
    try {
      if (Arrays.equals(FileIdentity.deviceAndInode(found.path()), new long[] {found.device(), found.inode()})) {
        return true;
      }
    } catch (NoSuchFileException e) {
      // renamed or deleted since the open
    }
    channel.close();
    return false;
  }

  /**
   * Where reading the file stopped before, if it did: its own checkpoint (same device, inode and
   * first bytes; the identity it was read under is kept, so record ids do not change), or, for a
   * rotated file, the checkpoint of the file copytruncate copied it from when that file no longer
   * holds those bytes (the agent stopped after the copy was made: the copy is read on from there).
   */
  private Optional<CheckpointStore.Checkpoint> saved(List<Long> key, Discovery.Found found, FileChannel channel)
      throws IOException {
    CheckpointStore.Checkpoint remembered = done.remove(key);
    if (remembered != null && remembered.identity().sameContent(channel)) {
      return Optional.of(remembered);
    }
    Optional<CheckpointStore.Checkpoint> own = checkpoints.find(found.device(), found.inode(), channel);
    if (own.isPresent() || !found.rotated()) {
      return own;
    }
    for (CheckpointStore.Checkpoint checkpoint : checkpoints.in(found.path().getParent())) {
      FileIdentity identity = checkpoint.identity();
      boolean otherFile = identity.device() != found.device() || identity.inode() != found.inode();
      if (otherFile && identity.sameContent(channel) && !stillHolds(checkpoint)) {
        return Optional.of(checkpoint);
      }
    }
    return Optional.empty();
  }

  /** Whether the file at the checkpoint's path is still the file it was taken of, with the same first bytes. */
  private static boolean stillHolds(CheckpointStore.Checkpoint checkpoint) throws IOException {
    Path path = Path.of(checkpoint.path());
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long[] id = FileIdentity.deviceAndInode(path);
      return id[0] == checkpoint.identity().device() && id[1] == checkpoint.identity().inode()
          && checkpoint.identity().sameContent(channel);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Whether the rotated file starts as a file of its directory that is known already (a copy of it). */
  private boolean copyOfKnown(Discovery.Found found, FileChannel channel) throws IOException {
    Path directory = found.path().getParent();
    List<FileIdentity> known = new ArrayList<>();
    for (ContainerFile file : snapshotOfAll()) {
      if (file.path().getParent().equals(directory)) {
        known.add(file.identity);
      }
    }
    for (CheckpointStore.Checkpoint checkpoint : done.values()) {
      if (Path.of(checkpoint.path()).getParent().equals(directory)) {
        known.add(checkpoint.identity());
      }
    }
    checkpoints.in(directory).forEach(checkpoint -> known.add(checkpoint.identity()));
    for (FileIdentity identity : known) {
      if (identity.fingerprintLength() <= channel.size() && identity.sameContent(channel)) {
        return true;
      }
    }
    return false;
  }

  private List<ContainerFile> snapshotOfAll() {
    List<ContainerFile> all = new ArrayList<>(active.values());
    all.addAll(releasing.keySet());
    return all;
  }

  private static boolean endsWithNewline(FileChannel channel, long size) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    channel.read(last, size - 1);
    return last.get(0) == '\n';
  }

  private Optional<PodMetadata> podMetadata(PodLogPath pod) {
    return metadata.flatMap(cache -> cache.get(pod.podUid()));
  }

  private void refreshMetadata(ContainerFile file) {
    Optional<PodMetadata> now = podMetadata(file.pod);
    if (now.isPresent() && !now.equals(enrichedWith.get(file))) {
      enrichedWith.put(file, now);
      file.resource(resource(file.pod, now));
    }
  }

  private Resource resource(PodLogPath pod, Optional<PodMetadata> metadata) {
    Resource.Builder resource = nodeResource.toBuilder()
        .addAttributes(OtlpValues.string(Attributes.K8S_NAMESPACE_NAME, pod.namespace()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_NAME, pod.podName()))
        .addAttributes(OtlpValues.string(Attributes.K8S_POD_UID, pod.podUid()))
        .addAttributes(OtlpValues.string(Attributes.K8S_CONTAINER_NAME, pod.containerName()))
        .addAttributes(OtlpValues.integer(Attributes.K8S_CONTAINER_RESTART_COUNT, pod.restartCount()));
    metadata.ifPresent(meta -> {
      meta.owners().forEach((key, value) -> resource.addAttributes(OtlpValues.string(key, value)));
      new TreeMap<>(meta.labels()).forEach((key, value) ->
          resource.addAttributes(OtlpValues.string(Attributes.K8S_POD_LABEL_PREFIX + key, value)));
      for (String annotation : config.annotations()) {
        String value = meta.annotations().get(annotation);
        if (value != null) {
          resource.addAttributes(OtlpValues.string(Attributes.K8S_POD_ANNOTATION_PREFIX + annotation, value));
        }
      }
    });
    return resource.build();
  }

  private boolean readAll(long now) throws IOException {
    boolean progress = false;
    long observed = epochNanos(clock.instant());
    for (Map.Entry<List<Long>, ContainerFile> entry : new ArrayList<>(active.entrySet())) {
      ContainerFile file = entry.getValue();
      if (file.truncated()) {
        truncated(entry.getKey(), file, now);
        continue;
      }
      progress |= readSome(file, now, observed);
    }
    for (ContainerFile file : new ArrayList<>(releasing.keySet())) {
      if (!file.finished() || file.failed()) {
        progress |= readSome(file, now, observed);
      }
    }
    return progress;
  }

  /**
   * The file was truncated: its new content is read from its start as a new file. What it held
   * before is read on from copytruncate's copy when there is one (a rotated sibling starting with
   * the same bytes, holding at least what was read): from the same offsets, under the same identity,
   * so nothing is read twice or lost, and an entry being joined is completed from the copy. Without
   * a copy, what the file held past the last whole line read is counted as possibly lost.
   */
  private void truncated(List<Long> key, ContainerFile file, long now) throws IOException {
    presentAtFirstStart.remove(key); // its new content is read from its start, whatever logs.startAt says
    Path original = file.path();
    for (Path sibling : Discovery.rotatedSiblings(original)) {
      Optional<FileChannel> copy = copyOf(file, sibling);
      if (copy.isPresent()) {
        long[] id = FileIdentity.deviceAndInode(sibling);
        List<Long> copyKey = List.of(id[0], id[1]);
        file.continueIn(copy.get(), sibling);
        file.goneSinceNanos = now;
        done.remove(copyKey);
        active.remove(key);
        active.put(copyKey, file);
        LOG.info("{} was truncated (copytruncate); reading on in its copy {} from offset {}", original, sibling,
            file.readPosition());
        return;
      }
    }
    meters.rotationLost.increment(file.unreadBytes());
    LOG.info("{} was truncated without a copy holding what was read; reading it again from its start, {} bytes "
        + "possibly lost", original, file.unreadBytes());
    release(key, file, now, false);
  }

  /** The open sibling when it is the copy copytruncate made of {@code file}: same first bytes, at least what was read. */
  private Optional<FileChannel> copyOf(ContainerFile file, Path sibling) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(sibling, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    long[] id = FileIdentity.deviceAndInode(sibling);
    List<Long> key = List.of(id[0], id[1]);
    if (!active.containsKey(key) && !releasing.containsValue(key) && channel.size() >= file.readPosition()
        && file.identity.sameContent(channel)) {
      return Optional.of(channel);
    }
    channel.close();
    return Optional.empty();
  }

  /** Reads one file's next bytes; a file that cannot be read is logged and tried again on the next pass. */
  private boolean readSome(ContainerFile file, long now, long observed) {
    long room = config.maxBufferedBytes() - sum(ContainerFile::buffered);
    try {
      return room > 0 && file.read((int) Math.min(PASS_BUDGET, room), now, observed) > 0;
    } catch (IOException e) {
      LOG.warn("reading {} failed; trying again", file.path(), e);
      return false;
    }
  }

  private void flushAndRelease(long now) throws IOException {
    long partialTimeout = config.partialTimeout().toNanos();
    long multilineTimeout = config.multiline().timeout().toNanos();
    long linger = config.batch().linger().toNanos();
    for (Map.Entry<List<Long>, ContainerFile> entry : new ArrayList<>(active.entrySet())) {
      ContainerFile file = entry.getValue();
      file.flushDue(now, partialTimeout, multilineTimeout, linger);
      if (file.goneSinceNanos >= 0 && now - file.goneSinceNanos >= config.rotateWait().toNanos() && file.atEnd()) {
        release(entry.getKey(), file, now, true);
      }
    }
    for (ContainerFile file : releasing.keySet()) {
      if (!file.finished() && file.atEnd()) {
        file.finish(now, true); // read again after a failed batch
      }
      file.flushDue(now, partialTimeout, multilineTimeout, linger);
    }
  }

  /** The file is read to its end and will not grow: what it holds is sent, then it is forgotten once acknowledged. */
  private void release(List<Long> key, ContainerFile file, long now, boolean lastLineComplete) {
    active.remove(key);
    file.finish(now, lastLineComplete);
    releasing.put(file, key);
    enrichedWith.remove(file);
    updateSnapshot();
  }

  private void writeCheckpoints() throws IOException {
    List<CheckpointStore.Checkpoint> all = new ArrayList<>();
    for (ContainerFile file : active.values()) {
      all.add(new CheckpointStore.Checkpoint(file.identity, file.checkpoint(), file.path().toString()));
    }
    for (Map.Entry<ContainerFile, List<Long>> entry : new ArrayList<>(releasing.entrySet())) {
      ContainerFile file = entry.getKey();
      if (file.settled()) {
        releasing.remove(file);
        file.close();
        updateSnapshot();
        done.put(entry.getValue(), new CheckpointStore.Checkpoint(file.identity, file.checkpoint(), file.path().toString()));
      } else {
        all.add(new CheckpointStore.Checkpoint(file.identity, file.checkpoint(), file.path().toString()));
      }
    }
    done.keySet().removeAll(active.keySet()); // a truncated file read again as a new one
    all.addAll(done.values());
    checkpoints.write(all);
  }

  /** Hands the batch to the sender thread: the reader never waits for Kafka, only for the memory cap. */
  private void send(ContainerFile file, byte[] request, ContainerFile.InFlight batch) {
    outbox.add(() -> produce(file, request, batch));
  }

  private void runSender() {
    while (sending || !outbox.isEmpty()) {
      try {
        Runnable next = outbox.poll(100, TimeUnit.MILLISECONDS);
        if (next != null) {
          next.run();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void produce(ContainerFile file, byte[] request, ContainerFile.InFlight batch) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, file.key, request);
    Span span = tracer.spanBuilder(topic + " publish").setSpanKind(SpanKind.PRODUCER)
        .setAttribute("messaging.system", "kafka")
        .setAttribute("messaging.destination.name", topic)
        .setAttribute("messaging.batch.message_count", batch.records)
        .startSpan();
    try {
      traceContext.inject(Context.current().with(span), record.headers());
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          meters.sendFailures.increment();
          LOG.warn("Kafka did not acknowledge {} records of {}: {}; they are read and sent again", batch.records,
              file.path(), error.toString());
        }
        file.acknowledged(batch, error);
      });
    } catch (KafkaException e) {
      meters.sendFailures.increment();
      file.acknowledged(batch, e);
    } finally {
      span.end();
    }
  }

  private long sum(ToLongFunction<ContainerFile> value) {
    long total = 0;
    for (ContainerFile file : snapshot) {
      total += value.applyAsLong(file);
    }
    return total;
  }

  private static long epochNanos(Instant instant) {
    return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
  }

  /**
   * Stops reading, sends the batches being filled, waits for Kafka to acknowledge them (the
   * producer's own timeouts bound the wait) and writes the checkpoints. Entries still being joined
   * are not sent: the checkpoint stays before them, so the next start reads them again.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    running = false;
    if (thread == null) {
      return;
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long now = System.nanoTime();
    active.values().forEach(file -> file.sendOpenBatch(now));
    releasing.keySet().forEach(file -> file.sendOpenBatch(now));
    sending = false;
    try {
      sender.join(TimeUnit.SECONDS.toMillis(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      producer.flush();
      writeCheckpoints();
    } catch (IOException | RuntimeException e) {
      LOG.warn("writing the log checkpoints at stop failed; the next start sends some lines again", e);
    }
    active.values().forEach(ContainerFile::close);
    releasing.keySet().forEach(ContainerFile::close);
  }
}
