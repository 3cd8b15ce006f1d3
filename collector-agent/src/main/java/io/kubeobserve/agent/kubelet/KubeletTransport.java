package io.kubeobserve.agent.kubelet;

import java.time.Duration;

/**
 * How the agent reaches its node's kubelet: straight to its HTTPS port ({@link DirectKubeletTransport})
 * or through the API server's {@code nodes/proxy} (the {@code io.kubeobserve.agent.kubernetes}
 * adapter). Implementations are thread-safe.
 */
public interface KubeletTransport extends AutoCloseable {

  /**
   * GETs {@code path} and returns the whole body of a 200 response.
   *
   * @param path the endpoint, such as {@code /metrics/cadvisor}
   * @param accept the {@code Accept} header
   * @param timeout the whole exchange, body included, must finish within it
   * @throws KubeletScrapeException for anything but a complete 200 response within the timeout and
   *     the size limit
   * @throws InterruptedException when the calling thread is interrupted
   */
  KubeletResponse get(String path, String accept, Duration timeout) throws KubeletScrapeException, InterruptedException;

  /** Where requests go, for logs and messages. */
  String describe();

  @Override
  default void close() {}
}
