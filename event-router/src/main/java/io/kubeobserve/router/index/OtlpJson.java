package io.kubeobserve.router.index;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;

/** Structured OTLP values (maps, nested lists) as compact JSON text, for fields mapped as text. */
final class OtlpJson {

  private OtlpJson() {}

  static String text(AnyValue value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> quote(out, value.getStringValue());
      case INT_VALUE -> out.append(value.getIntValue());
      case DOUBLE_VALUE -> out.append(value.getDoubleValue());
      case BOOL_VALUE -> out.append(value.getBoolValue());
      case BYTES_VALUE -> quote(out, java.util.Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        out.append('[');
        for (int i = 0; i < value.getArrayValue().getValuesCount(); i++) {
          if (i > 0) {
            out.append(',');
          }
          append(out, value.getArrayValue().getValues(i));
        }
        out.append(']');
      }
      case KVLIST_VALUE -> {
        out.append('{');
        for (int i = 0; i < value.getKvlistValue().getValuesCount(); i++) {
          KeyValue entry = value.getKvlistValue().getValues(i);
          if (i > 0) {
            out.append(',');
          }
          quote(out, entry.getKey());
          out.append(':');
          append(out, entry.getValue());
        }
        out.append('}');
      }
      default -> out.append("null");
    }
  }

  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
