package io.kubeobserve.core.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Map;

/**
 * The service's OpenTelemetry SDK, configured by the standard {@code OTEL_*} environment variables
 * and {@code otel.*} system properties. Unlike the SDK's own defaults, nothing is exported unless
 * asked for ({@code OTEL_TRACES_EXPORTER=otlp}, ...): a pipeline must not try to reach a Collector
 * that nobody configured. W3C trace context is the propagator.
 */
public final class Telemetry implements AutoCloseable {

  private final OpenTelemetrySdk sdk;

  private Telemetry(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  public static Telemetry create(String serviceName) {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.traces.exporter", "none");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    defaults.put("otel.propagators", "tracecontext");
    defaults.put("otel.service.name", serviceName);
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
    return new Telemetry(sdk);
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** Flushes and stops exporters; safe to call twice. */
  @Override
  public void close() {
    sdk.close();
  }
}
