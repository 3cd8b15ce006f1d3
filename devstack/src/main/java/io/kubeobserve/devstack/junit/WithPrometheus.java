package io.kubeobserve.devstack.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a running {@link io.kubeobserve.devstack.prometheus.LocalPrometheus} and, when
 * asked, a {@link io.kubeobserve.devstack.prometheus.LocalAlertmanager}, as parameters of its test,
 * lifecycle ({@code @BeforeAll} included) or constructor methods. One of each per test JVM serves
 * every test class and stops when the JVM's tests end; tests should use their own job names and
 * alert labels.
 *
 * <p>When the Debian binaries are missing the class is skipped, or fails when the system property
 * {@code kube-observe.requireExternal} is {@code true}.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PrometheusExtension.class)
public @interface WithPrometheus {

  /**
   * Whether to start Alertmanager before the class too. Not needed when a method or constructor of
   * the class takes a {@code LocalAlertmanager} parameter: that is detected.
   */
  boolean alertmanager() default false;
}
