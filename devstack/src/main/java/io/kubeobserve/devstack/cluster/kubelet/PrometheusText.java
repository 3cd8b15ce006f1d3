package io.kubeobserve.devstack.cluster.kubelet;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus text exposition format (0.0.4), as far as the kubelet's endpoints use it: parsing
 * recorded payloads into families and writing rendered ones, with numbers formatted as Go's {@code
 * strconv.FormatFloat(v, 'g', -1, 64)} does (what the kubelet's client library writes).
 */
public final class PrometheusText {

  /** The content type the kubelet answers its Prometheus endpoints with. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  /**
   * One metric family: its {@code # HELP} text, {@code # TYPE} and samples, in exposition order.
   *
   * @param help the help text, unescaped
   * @param type {@code counter}, {@code gauge}, {@code histogram}, {@code summary} or {@code untyped}
   */
  public record Family(String name, String help, String type, List<Sample> samples) {

    public Family {
      samples = List.copyOf(samples);
    }

    /** This family's HELP and TYPE with other samples. */
    public Family withSamples(List<Sample> newSamples) {
      return new Family(name, help, type, newSamples);
    }
  }

  /**
   * One sample.
   *
   * @param labels label names to values, in order
   * @param timestampMillis the explicit timestamp, or null when the sample has none
   */
  public record Sample(String name, Map<String, String> labels, double value, Long timestampMillis) {

    public Sample {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** A label's value, or {@code ""} when absent (as PromQL treats it). */
    public String label(String label) {
      return labels.getOrDefault(label, "");
    }
  }

  /** Parses exposition text; families keep the order of the text. */
  public static List<Family> parse(String text) {
    Map<String, String> help = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    List<String> order = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String rest = line.substring(7);
        int space = rest.indexOf(' ');
        String name = space < 0 ? rest : rest.substring(0, space);
        String value = space < 0 ? "" : rest.substring(space + 1);
        if (!order.contains(name)) {
          order.add(name);
        }
        (line.startsWith("# HELP ") ? help : types).put(name, line.startsWith("# HELP ") ? unescapeHelp(value) : value);
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      Sample sample = parseSample(line);
      String family = familyOf(sample.name(), types);
      if (!order.contains(family)) {
        order.add(family);
      }
      samples.computeIfAbsent(family, k -> new ArrayList<>()).add(sample);
    }
    List<Family> families = new ArrayList<>();
    for (String name : order) {
      families.add(new Family(name, help.getOrDefault(name, ""), types.getOrDefault(name, "untyped"),
          samples.getOrDefault(name, List.of())));
    }
    return families;
  }

  /** Writes families as exposition text. */
  public static String write(List<Family> families) {
    StringBuilder out = new StringBuilder(64 * 1024);
    for (Family family : families) {
      out.append("# HELP ").append(family.name()).append(' ').append(escapeHelp(family.help())).append('\n');
      out.append("# TYPE ").append(family.name()).append(' ').append(family.type()).append('\n');
      for (Sample sample : family.samples()) {
        out.append(sample.name());
        if (!sample.labels().isEmpty()) {
          out.append('{');
          boolean first = true;
          for (Map.Entry<String, String> label : sample.labels().entrySet()) {
            if (!first) {
              out.append(',');
            }
            first = false;
            out.append(label.getKey()).append("=\"").append(escapeLabel(label.getValue())).append('"');
          }
          out.append('}');
        }
        out.append(' ').append(formatValue(sample.value()));
        if (sample.timestampMillis() != null) {
          out.append(' ').append(sample.timestampMillis());
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** Formats a number as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}: {@code 9.86136576e+08}, {@code 200704}. */
  public static String formatValue(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == 0) {
      return "0";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    String digits = decimal.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - decimal.scale();
    String sign = value < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String exp = String.format("%s%02d", exponent < 0 ? "-" : "+", Math.abs(exponent));
      return sign + mantissa + "e" + exp;
    }
    return sign + decimal.abs().toPlainString();
  }

  private static Sample parseSample(String line) {
    int brace = line.indexOf('{');
    int firstSpace = line.indexOf(' ');
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    int position;
    if (brace >= 0 && (firstSpace < 0 || brace < firstSpace)) {
      name = line.substring(0, brace);
      position = parseLabels(line, brace + 1, labels);
    } else {
      name = line.substring(0, firstSpace);
      position = firstSpace;
    }
    String[] rest = line.substring(position).trim().split("\\s+");
    double value = parseValue(rest[0]);
    Long timestamp = rest.length > 1 ? Long.valueOf(rest[1]) : null;
    return new Sample(name, labels, value, timestamp);
  }

  private static int parseLabels(String line, int start, Map<String, String> labels) {
    int i = start;
    while (i < line.length() && line.charAt(i) != '}') {
      int equals = line.indexOf('=', i);
      String label = line.substring(i, equals).trim();
      i = equals + 2;
      StringBuilder value = new StringBuilder();
      while (line.charAt(i) != '"') {
        char c = line.charAt(i);
        if (c == '\\') {
          char next = line.charAt(++i);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
        i++;
      }
      labels.put(label, value.toString());
      i++;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  private static String familyOf(String sampleName, Map<String, String> types) {
    if (types.containsKey(sampleName)) {
      return sampleName;
    }
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (sampleName.endsWith(suffix)) {
        String base = sampleName.substring(0, sampleName.length() - suffix.length());
        if (types.containsKey(base)) {
          return base;
        }
      }
    }
    return sampleName;
  }

  private static String escapeLabel(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String escapeHelp(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String unescapeHelp(String value) {
    return value.replace("\\n", "\n").replace("\\\\", "\\");
  }
}
