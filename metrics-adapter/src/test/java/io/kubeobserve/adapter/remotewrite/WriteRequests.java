package io.kubeobserve.adapter.remotewrite;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Decodes remote-write 1.0 {@code WriteRequest}s in tests, independently of the encoder. */
final class WriteRequests {

  record Label(String name, String value) {}

  record Sample(double value, long timestamp) {}

  record TimeSeries(List<Label> labels, List<Sample> samples) {
    String name() {
      return labels.stream().filter(l -> l.name().equals("__name__")).findFirst().orElseThrow().value();
    }

    String label(String name) {
      return labels.stream().filter(l -> l.name().equals(name)).map(Label::value).findFirst().orElse(null);
    }
  }

  private WriteRequests() {}

  static List<TimeSeries> decode(byte[] request) throws IOException {
    List<TimeSeries> series = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(request);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag >>> 3 != 1) {
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      List<Label> labels = new ArrayList<>();
      List<Sample> samples = new ArrayList<>();
      while (!in.isAtEnd()) {
        int field = in.readTag();
        int inner = in.pushLimit(in.readRawVarint32());
        if (field >>> 3 == 1) {
          String name = null;
          String value = null;
          while (!in.isAtEnd()) {
            int t = in.readTag();
            if (t >>> 3 == 1) {
              name = in.readString();
            } else {
              value = in.readString();
            }
          }
          labels.add(new Label(name, value));
        } else {
          double value = 0;
          long timestamp = 0;
          while (!in.isAtEnd()) {
            int t = in.readTag();
            if (t >>> 3 == 1) {
              value = in.readDouble();
            } else {
              timestamp = in.readInt64();
            }
          }
          samples.add(new Sample(value, timestamp));
        }
        in.popLimit(inner);
      }
      in.popLimit(limit);
      series.add(new TimeSeries(labels, samples));
    }
    return series;
  }
}
