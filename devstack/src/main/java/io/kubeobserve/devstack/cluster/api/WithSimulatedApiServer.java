package io.kubeobserve.devstack.cluster.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a fresh, running {@link SimulatedApiServer}, as a parameter of its test,
 * lifecycle or constructor methods; it stops when the class's tests end.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SimulatedApiServerExtension.class)
public @interface WithSimulatedApiServer {

  /** The store's history window (see {@link SimulatedApiServerOptions#historyWindow()}). */
  int historyWindow() default SimulatedApiServerOptions.DEFAULT_HISTORY_WINDOW;

  /** Seconds between watch bookmarks. */
  long bookmarkIntervalSeconds() default 60;
}
