package io.kubeobserve.core.ops;

import io.kubeobserve.core.config.Validate;
import java.time.Duration;

/**
 * {@code ops.*}: the operations endpoint every service serves.
 *
 * @param port port of {@code /metrics}, {@code /healthz} and {@code /readyz}; 0 picks a free one,
 *     logged at start
 * @param address address to listen on
 * @param readinessInterval how often dependencies are probed for {@code /readyz}
 * @param shutdownTimeout how long a stopping service (SIGTERM) may take to finish and flush
 *     what is in flight before it exits anyway
 */
public record OpsConfig(int port, String address, Duration readinessInterval, Duration shutdownTimeout) {

  public OpsConfig {
    Validate.port("port", port);
    Validate.notBlank("address", address);
    Validate.positive("readinessInterval", readinessInterval);
    Validate.positive("shutdownTimeout", shutdownTimeout);
  }
}
