package io.kubeobserve.devstack.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a running {@link io.kubeobserve.devstack.kafka.EmbeddedKafka} broker, as a
 * parameter of its test, lifecycle or constructor methods. One broker serves every test class of
 * the JVM; a test that stops it must start it again before it ends.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KafkaExtension.class)
public @interface WithKafka {}
