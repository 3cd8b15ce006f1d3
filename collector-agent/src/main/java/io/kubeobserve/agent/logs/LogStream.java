package io.kubeobserve.agent.logs;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpValues;
import io.opentelemetry.proto.common.v1.KeyValue;

/** The container's output stream a log line came from, with its {@code log.iostream} attribute built once. */
enum LogStream {
  STDOUT("stdout"),
  STDERR("stderr");

  private final String text;
  private final KeyValue attribute;

  LogStream(String text) {
    this.text = text;
    this.attribute = OtlpValues.string(Attributes.LOG_IOSTREAM, text);
  }

  String text() {
    return text;
  }

  KeyValue attribute() {
    return attribute;
  }
}
