package io.kubeobserve.devstack.junit;

import io.kubeobserve.devstack.elasticsearch.LocalElasticsearch;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link LocalElasticsearch} per test JVM before the first test class that uses it,
 * resolves parameters of that type, and stops the server when the JVM's tests end.
 */
public final class ElasticsearchExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ElasticsearchExtension.class);

  /** The JVM's server, started on first use. */
  public static LocalElasticsearch elasticsearch(ExtensionContext context) {
    return SharedServer.in(context, NAMESPACE, LocalElasticsearch.class, LocalElasticsearch::start);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    elasticsearch(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalElasticsearch.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return elasticsearch(context);
  }
}
