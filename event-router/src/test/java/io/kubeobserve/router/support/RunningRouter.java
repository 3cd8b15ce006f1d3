package io.kubeobserve.router.support;

import io.kubeobserve.core.runtime.ServiceRuntime;
import io.kubeobserve.router.RouterConfig;
import io.kubeobserve.router.RouterService;
import io.kubeobserve.router.index.IndexerMetrics;
import io.kubeobserve.router.watch.WatchListener;
import java.util.concurrent.atomic.AtomicReference;

/** A router run by the real {@link ServiceRuntime}, with its service and configuration at hand. */
public record RunningRouter(ServiceRuntime runtime, RouterService service, RouterConfig config)
    implements AutoCloseable {

  public static RunningRouter start(RouterConfig config) throws Exception {
    return start(config, WatchListener.NONE);
  }

  public static RunningRouter start(RouterConfig config, WatchListener listener) throws Exception {
    AtomicReference<RouterService> service = new AtomicReference<>();
    ServiceRuntime runtime = ServiceRuntime.start("router", config, context -> {
      RouterService created = new RouterService(config, context, listener);
      service.set(created);
      return created;
    });
    return new RunningRouter(runtime, service.get(), config);
  }

  public IndexerMetrics indexerMetrics() {
    return service.indexer().orElseThrow().metrics();
  }

  @Override
  public void close() {
    runtime.close();
  }
}
