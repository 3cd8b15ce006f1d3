package io.kubeobserve.devstack.cluster.api;

import io.kubeobserve.devstack.process.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link SimulatedApiServer} per test class (configured by {@link
 * WithSimulatedApiServer}) on first use and stops it when the class's tests end. The server gets a
 * fresh temporary logs root ({@code server.options().logsRoot()}), deleted with it.
 */
public final class SimulatedApiServerExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SimulatedApiServerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SimulatedApiServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    return classContext.getStore(NAMESPACE)
        .getOrComputeIfAbsent("server", key -> new Resource(start(classContext)), Resource.class)
        .server();
  }

  private static SimulatedApiServer start(ExtensionContext classContext) {
    WithSimulatedApiServer settings = classContext.getRequiredTestClass()
        .getAnnotation(WithSimulatedApiServer.class);
    Path logsRoot;
    try {
      logsRoot = Files.createTempDirectory("sim-pod-logs-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a logs root", e);
    }
    SimulatedApiServerOptions options = SimulatedApiServerOptions.defaults().withLogsRoot(logsRoot);
    if (settings != null) {
      options = options.withHistoryWindow(settings.historyWindow())
          .withBookmarkInterval(Duration.ofSeconds(settings.bookmarkIntervalSeconds()));
    }
    return SimulatedApiServer.start(options);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  @SuppressWarnings("deprecation")
  private record Resource(SimulatedApiServer server)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      server.close();
      server.options().logsRoot().ifPresent(FileTrees::deleteQuietly);
    }
  }
}
