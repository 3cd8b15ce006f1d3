package io.kubeobserve.devstack.junit;

import io.kubeobserve.devstack.ExternalTools;
import io.kubeobserve.devstack.prometheus.LocalAlertmanager;
import io.kubeobserve.devstack.prometheus.LocalPrometheus;
import java.lang.reflect.Executable;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.TestAbortedException;

/**
 * Starts one {@link LocalPrometheus} per test JVM before the first test class that uses it (and one
 * {@link LocalAlertmanager} when a class asks for it), resolves parameters of those types, and
 * stops them when the JVM's tests end. Missing binaries skip the class through {@link
 * ExternalTools#require(String)}, or fail it when {@code kube-observe.requireExternal=true}.
 */
public final class PrometheusExtension
    implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PrometheusExtension.class);

  /** The JVM's Prometheus, started on first use. */
  public static LocalPrometheus prometheus(ExtensionContext context) {
    return SharedServer.in(context, NAMESPACE, LocalPrometheus.class, LocalPrometheus::start);
  }

  /** The JVM's Alertmanager, started on first use. */
  public static LocalAlertmanager alertmanager(ExtensionContext context) {
    return SharedServer.in(context, NAMESPACE, LocalAlertmanager.class, LocalAlertmanager::start);
  }

  /**
   * Disables a class whose binaries are missing, so that reports count its tests as skipped (an
   * abort in {@code beforeAll} would hide them); fails it instead when external programs are
   * required.
   */
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestClass().isEmpty() || context.getTestMethod().isPresent()) {
      return ConditionEvaluationResult.enabled("binaries checked for the class");
    }
    try {
      requireBinaries(context.getRequiredTestClass());
      return ConditionEvaluationResult.enabled("Prometheus binaries found");
    } catch (TestAbortedException e) {
      return ConditionEvaluationResult.disabled(e.getMessage());
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Check the binaries here too, where a missing one aborts the class; from a parameter
    // resolver the abort would turn into a ParameterResolutionException.
    boolean wantsAlertmanager = requireBinaries(context.getRequiredTestClass());
    prometheus(context);
    if (wantsAlertmanager) {
      alertmanager(context);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalPrometheus.class || type == LocalAlertmanager.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalAlertmanager.class
        ? alertmanager(context)
        : prometheus(context);
  }

  /** Requires the binaries the class needs; returns whether it wants Alertmanager. */
  private static boolean requireBinaries(Class<?> testClass) {
    ExternalTools.require("prometheus");
    boolean wantsAlertmanager = wantsAlertmanager(testClass);
    if (wantsAlertmanager) {
      ExternalTools.require("alertmanager");
    }
    return wantsAlertmanager;
  }

  /** Whether the class asks for Alertmanager by annotation or by a parameter of that type. */
  private static boolean wantsAlertmanager(Class<?> testClass) {
    for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
      if (AnnotationSupport.findAnnotation(type, WithPrometheus.class)
          .map(WithPrometheus::alertmanager)
          .orElse(false)) {
        return true;
      }
    }
    Stream<Executable> executables =
        Stream.concat(
            ReflectionSupport.findMethods(
                testClass, method -> true, HierarchyTraversalMode.TOP_DOWN)
                .stream(),
            Arrays.stream(testClass.getDeclaredConstructors()));
    return executables.anyMatch(
        executable ->
            Arrays.asList(executable.getParameterTypes()).contains(LocalAlertmanager.class));
  }
}
