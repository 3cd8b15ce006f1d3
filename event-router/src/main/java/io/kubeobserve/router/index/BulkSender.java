package io.kubeobserve.router.index;

import io.kubeobserve.router.RouterConfig;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one {@link BulkBatch} until every document is settled: indexed, already indexed (409), or
 * rejected (returned, to be dead-lettered). Whole requests answered 429, 5xx, 401/403 or not at
 * all, and single documents answered 429 or 5xx, are sent again with exponential backoff, without
 * limit: the caller's {@link Waiter} keeps the Kafka consumer alive (paused) meanwhile. A request
 * Elasticsearch refuses as a whole (413 too large, 400) is split in halves; a single document
 * refused that way is rejected.
 */
final class BulkSender {

  private static final Logger LOG = LoggerFactory.getLogger(BulkSender.class);
  private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

  /** Waits between attempts; throws to abandon the batch (shutdown), which is then not committed. */
  interface Waiter {
    void await(Duration delay) throws InterruptedException;
  }

  /** A document Elasticsearch refused, and why. */
  record Rejection(BulkBatch.Document document, String reason) {}

  private final RestClient client;
  private final RouterConfig.Retry retry;
  private final IndexerMetrics metrics;

  BulkSender(RestClient client, RouterConfig.Retry retry, IndexerMetrics metrics) {
    this.client = client;
    this.retry = retry;
    this.metrics = metrics;
  }

  /** Sends the batch's documents until each is settled; returns the rejected ones. */
  List<Rejection> send(BulkBatch batch, Waiter waiter) throws InterruptedException {
    List<Rejection> rejections = new ArrayList<>();
    Deque<List<BulkBatch.Document>> chunks = new ArrayDeque<>();
    chunks.add(batch.documents());
    boolean whole = true;
    int failures = 0;
    while (!chunks.isEmpty()) {
      List<BulkBatch.Document> chunk = chunks.poll();
      byte[] body = whole ? batch.array() : batch.bodyOf(chunk);
      int length = whole ? batch.bytes() : body.length;
      whole = false;
      Attempt attempt = attempt(body, length, chunk.size());
      switch (attempt.kind) {
        case ANSWERED -> {
          List<BulkBatch.Document> again = new ArrayList<>();
          for (int i = 0; i < chunk.size(); i++) {
            ItemResult result = attempt.items.get(i);
            switch (result.outcome()) {
              case INDEXED -> metrics.indexed.increment();
              case ALREADY_INDEXED -> metrics.alreadyIndexed.increment();
              case RETRY -> again.add(chunk.get(i));
              case REJECTED -> {
                metrics.rejected.increment();
                rejections.add(new Rejection(chunk.get(i), result.status() + " " + result.error()));
              }
            }
          }
          if (!again.isEmpty()) {
            metrics.retriedDocuments.increment(again.size());
            LOG.debug("{} of {} documents answered 429 or 5xx; sending them again", again.size(), chunk.size());
            waiter.await(backoff(failures++));
            chunks.addFirst(again);
          } else {
            failures = 0;
          }
        }
        case RETRY -> {
          metrics.retriedRequests.increment(chunk.size());
          Duration delay = backoff(failures++);
          if (failures == 1 || failures % 10 == 0) {
            LOG.warn("bulk request of {} documents failed ({}); retrying in {} ms (attempt {})", chunk.size(),
                attempt.error, delay.toMillis(), failures);
          }
          waiter.await(delay);
          chunks.addFirst(chunk);
        }
        case SPLIT -> {
          if (chunk.size() == 1) {
            metrics.rejected.increment();
            rejections.add(new Rejection(chunk.get(0), attempt.error));
          } else {
            LOG.info("bulk request of {} documents refused as a whole ({}); sending it in halves", chunk.size(),
                attempt.error);
            int half = chunk.size() / 2;
            chunks.addFirst(new ArrayList<>(chunk.subList(half, chunk.size())));
            chunks.addFirst(new ArrayList<>(chunk.subList(0, half)));
          }
        }
      }
    }
    return rejections;
  }

  private enum Kind { ANSWERED, RETRY, SPLIT }

  private record Attempt(Kind kind, List<ItemResult> items, String error) {}

  private Attempt attempt(byte[] body, int length, int documents) {
    Request request = new Request("POST", "/_bulk");
    request.addParameter("filter_path", BulkResponseParser.FILTER_PATH);
    request.setEntity(new ByteArrayEntity(body, 0, length, NDJSON));
    long start = System.nanoTime();
    try {
      Response response = client.performRequest(request);
      List<ItemResult> items;
      try (InputStream in = response.getEntity().getContent()) {
        items = BulkResponseParser.parse(in, documents);
      }
      metrics.bulk(System.nanoTime() - start, true);
      return new Attempt(Kind.ANSWERED, items, "");
    } catch (ResponseException e) {
      metrics.bulk(System.nanoTime() - start, false);
      int status = e.getResponse().getStatusLine().getStatusCode();
      String reason = status + " " + responseText(e.getResponse());
      if (status == 429 || status >= 500 || status == 401 || status == 403 || status == 408) {
        if (status == 401 || status == 403) {
          LOG.error("Elasticsearch refuses the indexer's credentials ({}); retrying", reason);
        }
        return new Attempt(Kind.RETRY, List.of(), reason);
      }
      return new Attempt(Kind.SPLIT, List.of(), reason);
    } catch (IOException e) {
      metrics.bulk(System.nanoTime() - start, false);
      return new Attempt(Kind.RETRY, List.of(), e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      metrics.bulk(System.nanoTime() - start, false);
      return new Attempt(Kind.RETRY, List.of(), e.toString());
    }
  }

  private static String responseText(Response response) {
    try {
      String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
      return text.length() > 1000 ? text.substring(0, 1000) + "..." : text;
    } catch (IOException | RuntimeException e) {
      return "(no body)";
    }
  }

  /** Exponential backoff with 20% jitter: initial, 2x, 4x, ... up to the maximum. */
  Duration backoff(int failures) {
    long initial = retry.initialBackoff().toMillis();
    long max = retry.maxBackoff().toMillis();
    long delay = initial << Math.min(failures, 20);
    delay = Math.min(max, delay <= 0 ? max : delay);
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis(Math.max(1, (long) (delay * jitter)));
  }
}
