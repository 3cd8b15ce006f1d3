package io.kubeobserve.adapter.remotewrite;

import io.kubeobserve.adapter.AdapterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

/**
 * Sends the queue's samples to a Prometheus remote-write 1.0 receiver: batches of up to
 * {@code maxSamplesPerSend} as a snappy-compressed {@code WriteRequest}. A batch that fails with a
 * connection error, a 5xx or a 429 is retried after {@code minBackoff}, doubling up to
 * {@code maxBackoff}, until it is accepted or the writer closes; one rejected with another 4xx is
 * dropped and counted (the receiver will never take it, such as out-of-order samples). One thread,
 * so samples of a series arrive in order.
 */
public final class RemoteWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteWriter.class);
  private static final long BATCH_WAIT_MILLIS = 200;

  private final AdapterConfig.RemoteWrite config;
  private final URI url;
  private final RemoteWriteQueue queue;
  private final HttpClient http;
  private final WriteRequestEncoder encoder = new WriteRequestEncoder();
  private final Thread thread;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile boolean closed;
  private final Counter samplesSent;
  private final Counter droppedRejected;
  private final Counter droppedShutdown;
  private final Counter retries;
  private final Timer requests;

  public RemoteWriter(AdapterConfig.RemoteWrite config, RemoteWriteQueue queue, MeterRegistry registry) {
    this.config = config;
    this.url = config.url().orElseThrow(() -> new IllegalArgumentException("remoteWrite.url is not set"));
    this.queue = queue;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.timeout()).build();
    this.samplesSent = Counter.builder("kube_observe.adapter.remote_write.samples.sent")
        .description("samples the remote-write receiver accepted").register(registry);
    this.droppedRejected = dropped(registry, "rejected");
    this.droppedShutdown = dropped(registry, "shutdown");
    this.retries = Counter.builder("kube_observe.adapter.remote_write.retries")
        .description("remote-write requests retried after a connection error, 5xx or 429").register(registry);
    this.requests = Timer.builder("kube_observe.adapter.remote_write.requests")
        .description("remote-write requests that reached the receiver, any answer").register(registry);
    this.thread = new Thread(this::run, "remote-write");
    this.thread.setDaemon(true);
  }

  static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("kube_observe.adapter.remote_write.samples.dropped").tag("reason", reason)
        .description("samples not remote-written: queue full, rejected by the receiver (4xx), or still queued at "
            + "shutdown").register(registry);
  }

  public RemoteWriter start() {
    thread.start();
    LOG.info("remote-writing to {}", url);
    return this;
  }

  private void run() {
    List<RemoteWriteQueue.Entry> batch = new ArrayList<>(config.maxSamplesPerSend());
    try {
      while (!closed) {
        batch.clear();
        queue.drainTo(batch, config.maxSamplesPerSend(), BATCH_WAIT_MILLIS);
        if (!batch.isEmpty()) {
          send(batch);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("remote-write stopped on an unexpected error", e);
    }
    droppedShutdown.increment(batch.size());
  }

  private void send(List<RemoteWriteQueue.Entry> batch) throws InterruptedException {
    byte[] body;
    try {
      body = Snappy.compress(encoder.encode(batch));
    } catch (IOException e) {
      throw new IllegalStateException("snappy compression failed", e);
    }
    long newest = 0;
    for (RemoteWriteQueue.Entry entry : batch) {
      newest = Math.max(newest, entry.timestampMillis());
    }
    Duration backoff = config.minBackoff();
    while (true) {
      String failure;
      try {
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(request(body), HttpResponse.BodyHandlers.ofString());
        requests.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        int status = response.statusCode();
        if (status / 100 == 2) {
          samplesSent.increment(batch.size());
          queue.sent(newest);
          batch.clear();
          return;
        }
        if (status / 100 == 4 && status != 429) {
          LOG.warn("remote-write receiver rejected {} samples with {}: {}", batch.size(), status,
              abbreviate(response.body()));
          droppedRejected.increment(batch.size());
          queue.sent(newest);
          batch.clear();
          return;
        }
        failure = "answered " + status + ": " + abbreviate(response.body());
      } catch (IOException e) {
        failure = e.toString();
      }
      if (closed) {
        return;
      }
      retries.increment();
      LOG.warn("remote-write to {} failed ({}); retrying in {} ms", url, failure, backoff.toMillis());
      if (stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff()
          : backoff.multipliedBy(2);
    }
  }

  private HttpRequest request(byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(config.timeout())
        .header("Content-Type", "application/x-protobuf")
        .header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .header("User-Agent", "kube-observe-metrics-adapter")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, String> header : config.headers().entrySet()) {
      request.header(header.getKey(), header.getValue());
    }
    config.bearerToken().ifPresent(token -> request.header("Authorization", "Bearer " + token.reveal()));
    return request.build();
  }

  private static String abbreviate(String body) {
    String line = body.strip().replace('\n', ' ');
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /**
   * Stops: the batch in flight gets until {@code remoteWrite.timeout} to be accepted; what is still
   * queued is dropped and counted. Safe to call twice.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    int left = queue.close();
    stopping.countDown();
    try {
      thread.join(config.timeout().toMillis() + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    droppedShutdown.increment(left);
  }
}
