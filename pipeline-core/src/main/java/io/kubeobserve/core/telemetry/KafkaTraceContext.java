package io.kubeobserve.core.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Carries trace context in Kafka record headers ({@code traceparent}, {@code tracestate}), so a
 * batch can be followed from the node that produced it to the index that stored it.
 */
public final class KafkaTraceContext {

  private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
    if (headers != null) {
      headers.remove(key);
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  };

  private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers headers) {
      List<String> keys = new ArrayList<>();
      for (Header header : headers) {
        keys.add(header.key());
      }
      return keys;
    }

    @Override
    public String get(Headers headers, String key) {
      Header header = headers == null ? null : headers.lastHeader(key);
      return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
  };

  private final OpenTelemetry openTelemetry;

  public KafkaTraceContext(OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
  }

  /** Writes {@code context} into the headers of a record about to be produced. */
  public void inject(Context context, Headers headers) {
    openTelemetry.getPropagators().getTextMapPropagator().inject(context, headers, SETTER);
  }

  /** The context a consumed record carries, as the parent of the work done on it. */
  public Context extract(Headers headers) {
    return openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
  }
}
