package io.kubeobserve.agent.logs;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpLogBatch;

/** The container's output stream a log line came from, with its {@code log.iostream} attribute built once. */
enum LogStream {
  STDOUT("stdout"),
  STDERR("stderr");

  private final String text;
  private final OtlpLogBatch.Attribute attribute;

  LogStream(String text) {
    this.text = text;
    this.attribute = OtlpLogBatch.Attribute.string(Attributes.LOG_IOSTREAM, text);
  }

  String text() {
    return text;
  }

  OtlpLogBatch.Attribute attribute() {
    return attribute;
  }
}
