package io.kubeobserve.devstack.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a running {@link io.kubeobserve.devstack.elasticsearch.LocalElasticsearch}, as
 * a parameter of its test, lifecycle ({@code @BeforeAll} included) or constructor methods. One
 * server, started before the first such class, serves every test class of the JVM and stops when
 * the JVM's tests end; tests should use their own index names.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ElasticsearchExtension.class)
public @interface WithElasticsearch {}
