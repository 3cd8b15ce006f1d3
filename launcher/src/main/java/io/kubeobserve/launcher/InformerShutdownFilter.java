package io.kubeobserve.launcher;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the ERROR lines, with stack traces, that client-java's informers log when they are stopped
 * ("processLoop get interrupted", "processor interrupted"): a service stopping its informers is not
 * an error. Everything else those loggers say, crashes included, is kept.
 */
public final class InformerShutdownFilter extends Filter<ILoggingEvent> {

  private static final String INFORMER_PACKAGE = "io.kubernetes.client.informer.cache.";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    boolean informer = event.getLoggerName().startsWith(INFORMER_PACKAGE);
    String message = event.getMessage();
    return informer && message != null && message.contains("interrupted") ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
