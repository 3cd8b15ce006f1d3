package io.kubeobserve.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class InformerShutdownFilterTest {

  private final LoggerContext context = new LoggerContext();
  private final InformerShutdownFilter filter = new InformerShutdownFilter();

  @Test
  void dropsTheInformersInterruptedLinesAtStop() {
    assertThat(filter.decide(event("io.kubernetes.client.informer.cache.Controller",
        "DefaultController#processLoop get interrupted {}"))).isEqualTo(FilterReply.DENY);
    assertThat(filter.decide(event("io.kubernetes.client.informer.cache.ProcessorListener",
        "processor interrupted: {}"))).isEqualTo(FilterReply.DENY);
  }

  @Test
  void keepsTheInformersOtherErrorsAndEveryoneElsesInterruptions() {
    assertThat(filter.decide(event("io.kubernetes.client.informer.cache.Controller",
        "DefaultController#processLoop recovered from crashing {}"))).isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(event("io.kubeobserve.agent.logs.LogTailer", "reader interrupted")))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  private LoggingEvent event(String logger, String message) {
    return new LoggingEvent(getClass().getName(), context.getLogger(logger), Level.ERROR, message, null, null);
  }
}
