package io.kubeobserve.agent.kubelet;

import io.kubeobserve.agent.kubelet.KubeletScrapeException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * GETs kubelet endpoints straight from {@code kubelet.url} with the JDK's HTTP client: the bearer
 * token of a {@link TokenFile} (read again when it changes, and after a 401), TLS verified against
 * the configured CA unless told otherwise, the whole exchange bounded in time and the body in size.
 */
public final class DirectKubeletTransport implements KubeletTransport {

  private final String baseUrl;
  private final Optional<TokenFile> token;
  private final Optional<Path> caFile;
  private final int maxResponseBytes;
  private final HttpClient http;

  /**
   * @param baseUrl {@code https://host:10250} ({@code http://} for tests)
   * @param token the token file, if requests carry a token
   * @param tls the TLS context ({@link KubeletTls})
   * @param caFile the CA file {@code tls} trusts, named in TLS errors
   * @param maxResponseBytes larger bodies are abandoned
   */
  public DirectKubeletTransport(URI baseUrl, Optional<TokenFile> token, SSLContext tls, Optional<Path> caFile,
      int maxResponseBytes) {
    String url = baseUrl.toString();
    this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.token = token;
    this.caFile = caFile;
    this.maxResponseBytes = maxResponseBytes;
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  @Override
  public KubeletResponse get(String path, String accept, Duration timeout)
      throws KubeletScrapeException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
        .header("Accept", accept).GET();
    if (token.isPresent()) {
      try {
        request.header("Authorization", "Bearer " + token.get().current());
      } catch (IOException e) {
        throw new KubeletScrapeException(Reason.UNAUTHORIZED, "cannot read the token file " + token.get().file()
            + ": " + e, e);
      }
    }
    CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request.build(),
        info -> new LimitedBody(maxResponseBytes, info.headers().firstValueAsLong("Content-Length").orElse(-1)));
    HttpResponse<byte[]> response;
    try {
      response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new KubeletScrapeException(Reason.TIMEOUT, "GET " + baseUrl + path + " took longer than " + timeout);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw failure(path, timeout, e.getCause());
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      token.ifPresent(TokenFile::invalidate);
      throw new KubeletScrapeException(Reason.UNAUTHORIZED, "GET " + baseUrl + path + " answered " + status
          + (token.isPresent() ? " to the token of " + token.get().file() : " (no token configured: kubelet.tokenFile)"));
    }
    if (status != 200) {
      throw new KubeletScrapeException(Reason.HTTP_STATUS, "GET " + baseUrl + path + " answered " + status);
    }
    return new KubeletResponse(response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

  private KubeletScrapeException failure(String path, Duration timeout, Throwable cause) {
    String what = "GET " + baseUrl + path;
    if (cause instanceof ResponseTooLarge) {
      return new KubeletScrapeException(Reason.TOO_LARGE, what + ": " + cause.getMessage());
    }
    if (cause instanceof HttpTimeoutException) {
      return new KubeletScrapeException(Reason.TIMEOUT, what + " took longer than " + timeout);
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return new KubeletScrapeException(Reason.TLS, what + ": TLS handshake failed ("
            + rootMessage(t) + "); the kubelet's certificate must be signed by a CA in "
            + caFile.map(f -> "kubelet.caFile (" + f + ")").orElse("the JVM's trust store (set kubelet.caFile)")
            + " and name the host it is reached at", cause);
      }
    }
    if (cause instanceof ConnectException) {
      return new KubeletScrapeException(Reason.CONNECTION, what + ": cannot connect: " + rootMessage(cause), cause);
    }
    return new KubeletScrapeException(Reason.CONNECTION, what + " failed: " + rootMessage(cause), cause);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  @Override
  public String describe() {
    return baseUrl;
  }

  @Override
  public String toString() {
    return "DirectKubeletTransport[" + baseUrl + ", token " + token.map(t -> t.file().toString()).orElse("none") + "]";
  }

  static final class ResponseTooLarge extends IOException {
    ResponseTooLarge(String message) {
      super(message);
    }
  }

  /** Collects a body up to a limit; past it, cancels the exchange and fails. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final int limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream collected;
    private Flow.Subscription subscription;

    LimitedBody(int limit, long contentLength) {
      this.limit = limit;
      this.collected = new ByteArrayOutputStream(contentLength > 0 && contentLength <= limit ? (int) contentLength : 8192);
      if (contentLength > limit) {
        result.completeExceptionally(new ResponseTooLarge("the body (Content-Length " + contentLength
            + ") is larger than kubelet.maxResponseBytes " + limit));
      }
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (result.isDone()) {
        subscription.cancel();
      } else {
        subscription.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        if (collected.size() + buffer.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new ResponseTooLarge("the body is larger than kubelet.maxResponseBytes " + limit));
          return;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        collected.write(bytes, 0, bytes.length);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(collected.toByteArray());
    }
  }
}
