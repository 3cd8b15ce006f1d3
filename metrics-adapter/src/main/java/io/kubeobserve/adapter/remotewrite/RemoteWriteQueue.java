package io.kubeobserve.adapter.remotewrite;

import io.kubeobserve.adapter.store.SampleListener;
import io.kubeobserve.adapter.store.Series;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bounded queue between the store and the remote writer: the samples the store accepted, and a
 * staleness marker for each series it forgot. When full, new samples are dropped and counted, so
 * the consumer never waits for the receiver.
 *
 * <p>The lag ({@code kube_observe.adapter.remote_write.lag}) is how far the newest sample sent is
 * behind the newest sample queued, in seconds of sample time, as Prometheus measures its own
 * remote-write; 0 when everything queued was sent.
 */
public final class RemoteWriteQueue implements SampleListener {

  /** Prometheus' staleness marker: a NaN with this bit pattern ends a series. */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  /** One queued sample. */
  public record Entry(Series series, double value, Object complex, long timestampMillis, boolean stale) {}

  private final Entry[] ring;
  private int head;
  private int size;
  private long highestQueued;
  private long highestSent;
  private boolean closed;
  private final Counter droppedQueueFull;

  public RemoteWriteQueue(int capacity, MeterRegistry registry) {
    this.ring = new Entry[capacity];
    this.droppedQueueFull = RemoteWriter.dropped(registry, "queue_full");
    Gauge.builder("kube_observe.adapter.remote_write.queue.size", this, RemoteWriteQueue::size)
        .description("samples waiting to be remote-written").register(registry);
    Gauge.builder("kube_observe.adapter.remote_write.lag", this, RemoteWriteQueue::lagSeconds).baseUnit("seconds")
        .description("how far the newest sample remote-written is behind the newest sample queued").register(registry);
  }

  @Override
  public void sample(Series series, double value, Object complex, long timestampMillis) {
    offer(new Entry(series, value, complex, timestampMillis, false));
  }

  @Override
  public void gone(Series series, long timestampMillis) {
    offer(new Entry(series, STALE_NAN, null, timestampMillis, true));
  }

  private synchronized void offer(Entry entry) {
    if (closed || size == ring.length) {
      droppedQueueFull.increment();
      return;
    }
    ring[(head + size) % ring.length] = entry;
    size++;
    highestQueued = Math.max(highestQueued, entry.timestampMillis());
    notifyAll();
  }

  /**
   * Moves up to {@code max} entries into {@code batch}, waiting up to {@code waitMillis} for the
   * first one.
   */
  public synchronized void drainTo(List<Entry> batch, int max, long waitMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (size == 0 && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    while (size > 0 && batch.size() < max) {
      batch.add(ring[head]);
      ring[head] = null;
      head = (head + 1) % ring.length;
      size--;
    }
  }

  /** Records that samples up to {@code timestampMillis} were sent. */
  public synchronized void sent(long timestampMillis) {
    highestSent = Math.max(highestSent, timestampMillis);
  }

  public synchronized int size() {
    return size;
  }

  synchronized double lagSeconds() {
    return size == 0 && highestSent >= highestQueued ? 0 : Math.max(0, highestQueued - highestSent) / 1000.0;
  }

  /** Stops accepting samples and wakes the writer; returns how many were still queued. */
  public synchronized int close() {
    closed = true;
    notifyAll();
    return size;
  }
}
