package io.kubeobserve.devstack.junit;

import io.kubeobserve.devstack.kafka.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Starts one {@link EmbeddedKafka} per test JVM, on first use, and stops it when the JVM's tests end. */
public final class KafkaExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    EmbeddedKafka kafka = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("broker", key -> new Resource(EmbeddedKafka.startTemporary()), Resource.class)
        .kafka();
    kafka.start();
    return kafka;
  }

  private record Resource(EmbeddedKafka kafka) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      kafka.close();
    }
  }
}
