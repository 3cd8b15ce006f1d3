package io.kubeobserve.devstack.junit;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server kept in the root {@link ExtensionContext.Store}, so that it starts once per test JVM,
 * serves every test class and stops when the JVM's tests end. JUnit 5.13 closes stored {@link
 * AutoCloseable}s; {@link ExtensionContext.Store.CloseableResource} (deprecated in 5.13) covers
 * runs that turn that off. Closing twice is harmless.
 */
@SuppressWarnings("deprecation")
final class SharedServer<T extends AutoCloseable>
    implements AutoCloseable, ExtensionContext.Store.CloseableResource {

  private final T server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SharedServer(T server) {
    this.server = server;
  }

  /** The server of type {@code type} in the root store of {@code context}, started if absent. */
  @SuppressWarnings("unchecked")
  static <T extends AutoCloseable> T in(
      ExtensionContext context,
      ExtensionContext.Namespace namespace,
      Class<T> type,
      Supplier<T> starter) {
    return ((SharedServer<T>)
            context
                .getRoot()
                .getStore(namespace)
                .getOrComputeIfAbsent(
                    type, key -> new SharedServer<>(starter.get()), SharedServer.class))
        .server;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping " + server, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop " + server, e);
    }
  }
}
