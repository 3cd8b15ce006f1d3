package io.kubeobserve.core.contract;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import java.util.Optional;

/** Building and reading OTLP attributes without the protobuf builder noise. */
public final class OtlpValues {

  private OtlpValues() {}

  /**
   * A string attribute. Key and value are held as UTF-8 bytes: protobuf then writes them as they
   * are, where a {@code String} field would be re-encoded character by character on every write.
   */
  public static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKeyBytes(ByteString.copyFromUtf8(key))
        .setValue(AnyValue.newBuilder().setStringValueBytes(ByteString.copyFromUtf8(value))).build();
  }

  public static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  public static KeyValue bool(String key, boolean value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setBoolValue(value)).build();
  }

  public static AnyValue text(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  /** The value of the last attribute named {@code key}, if any. */
  public static Optional<AnyValue> attribute(List<KeyValue> attributes, String key) {
    for (int i = attributes.size() - 1; i >= 0; i--) {
      if (attributes.get(i).getKey().equals(key)) {
        return Optional.of(attributes.get(i).getValue());
      }
    }
    return Optional.empty();
  }

  /** The value of the string attribute named {@code key}, if any. */
  public static Optional<String> stringAttribute(List<KeyValue> attributes, String key) {
    return attribute(attributes, key).filter(AnyValue::hasStringValue).map(AnyValue::getStringValue);
  }
}
