package io.kubeobserve.agent.logs;

/**
 * A token bucket of bytes for one container ({@code logs.rateLimit.bytesPerSecond}): it fills at
 * the rate, up to one second's worth. Consuming more than is available is allowed (a line is never
 * cut for it); the debt is paid before more is available. Not thread-safe.
 */
final class RateLimiter {

  private final long bytesPerSecond;
  private double tokens;
  private long lastNanos;

  RateLimiter(long bytesPerSecond, long nowNanos) {
    this.bytesPerSecond = bytesPerSecond;
    this.tokens = bytesPerSecond;
    this.lastNanos = nowNanos;
  }

  /** Bytes that may be consumed now (0 when in debt). */
  long available(long nowNanos) {
    tokens = Math.min(bytesPerSecond, tokens + (nowNanos - lastNanos) * bytesPerSecond / 1e9);
    lastNanos = nowNanos;
    return tokens <= 0 ? 0 : (long) tokens;
  }

  void consume(long bytes) {
    tokens -= bytes;
  }
}
