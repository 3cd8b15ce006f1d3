package io.kubeobserve.agent.kubelet;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, as the kubelet serves it on
 * {@code /metrics/cadvisor} and {@code /metrics/resource}.
 *
 * <p>What it accepts: {@code # HELP} and {@code # TYPE} lines (before their family's samples, at
 * most one of each), other comments, blank lines, and sample lines {@code name{labels} value
 * [timestamp]} with escaped label values ({@code \\}, {@code \"}, {@code \n}), the values
 * {@code NaN}, {@code +Inf} and {@code -Inf}, and millisecond timestamps. The last line may lack its
 * line feed.
 *
 * <p>What it rejects, with an {@link ExpositionFormatException} naming the line: invalid metric or
 * label names, reserved label names ({@code __*}), duplicate labels, bad escapes, unterminated
 * label sets, values or timestamps that are not numbers, text after the timestamp, unknown types,
 * a second {@code HELP} or {@code TYPE} for a family or one after its samples, a family whose
 * lines are not grouped, a sample repeated in its family, histogram buckets without a numeric
 * {@code le} and summary quantiles without a numeric {@code quantile}, and input that is not UTF-8.
 */
public final class ExpositionParser {

  private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern HEX = Pattern.compile(
      "[+-]?0[xX](?:[0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+");

  private ExpositionParser() {}

  /** Parses an exposition given as UTF-8 bytes, as it comes over HTTP. */
  public static Exposition parse(byte[] utf8) throws ExpositionFormatException {
    return parse(decodeUtf8(utf8));
  }

  /** Parses an exposition. */
  public static Exposition parse(String text) throws ExpositionFormatException {
    Families families = new Families();
    // names and label values repeat from line to line: one String each, its hash computed once
    Map<String, String> strings = new HashMap<>();
    int lineNumber = 0;
    int start = 0;
    int length = text.length();
    while (start < length) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = length;
      }
      lineNumber++;
      parseLine(text.substring(start, end), lineNumber, families, strings);
      start = end + 1;
    }
    return families.build();
  }

  /**
   * Parses a sample value as the format writes it: a decimal or hexadecimal float, {@code NaN},
   * or an infinity ({@code +Inf}, {@code -Inf}, {@code Inf}; any case).
   *
   * @throws NumberFormatException when the text is none of these
   */
  public static double parseValue(String text) {
    if (isDecimal(text)) {
      return Double.parseDouble(text); // the common case, without a regular expression
    }
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    switch (lower) {
      case "nan":
        return Double.NaN;
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        if (isDecimal(text) || HEX.matcher(text).matches()) {
          return Double.parseDouble(text);
        }
        throw new NumberFormatException("not a number: " + text);
    }
  }

  /** Whether {@code text} matches {@link #DECIMAL}: {@code [+-]?(digits[.digits*]|.digits)([eE][+-]?digits)?}. */
  static boolean isDecimal(String text) {
    int n = text.length();
    int p = 0;
    if (p < n && (text.charAt(p) == '+' || text.charAt(p) == '-')) {
      p++;
    }
    int intDigits = 0;
    while (p < n && isDigit(text.charAt(p))) {
      p++;
      intDigits++;
    }
    int fractionDigits = 0;
    if (p < n && text.charAt(p) == '.') {
      p++;
      while (p < n && isDigit(text.charAt(p))) {
        p++;
        fractionDigits++;
      }
    }
    if (intDigits == 0 && fractionDigits == 0) {
      return false;
    }
    if (p < n && (text.charAt(p) == 'e' || text.charAt(p) == 'E')) {
      p++;
      if (p < n && (text.charAt(p) == '+' || text.charAt(p) == '-')) {
        p++;
      }
      int exponentDigits = 0;
      while (p < n && isDigit(text.charAt(p))) {
        p++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return false;
      }
    }
    return p == n;
  }

  private static boolean isInteger(String text) {
    int p = text.startsWith("+") || text.startsWith("-") ? 1 : 0;
    if (p == text.length()) {
      return false;
    }
    for (; p < text.length(); p++) {
      if (!isDigit(text.charAt(p))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static void parseLine(String line, int number, Families families, Map<String, String> strings)
      throws ExpositionFormatException {
    int p = skipBlanks(line, 0);
    if (p == line.length()) {
      return;
    }
    if (line.charAt(p) == '#') {
      parseComment(line, p + 1, number, families);
    } else {
      families.add(parseSample(line, p, number, strings), line);
    }
  }

  private static void parseComment(String line, int from, int number, Families families)
      throws ExpositionFormatException {
    int p = skipBlanks(line, from);
    int wordEnd = skipNonBlanks(line, p);
    String word = line.substring(p, wordEnd);
    boolean help = word.equals("HELP");
    if (!help && !word.equals("TYPE")) {
      return; // an ordinary comment
    }
    p = skipBlanks(line, wordEnd);
    int nameEnd = metricNameEnd(line, p);
    if (nameEnd == p || (nameEnd < line.length() && !isBlank(line.charAt(nameEnd)))) {
      throw new ExpositionFormatException(number, "expected a metric name after # " + word, line);
    }
    String name = line.substring(p, nameEnd);
    p = skipBlanks(line, nameEnd);
    if (help) {
      families.help(name, unescapeHelp(line, p, number), number, line);
      return;
    }
    int typeEnd = skipNonBlanks(line, p);
    String typeText = line.substring(p, typeEnd);
    if (skipBlanks(line, typeEnd) != line.length()) {
      throw new ExpositionFormatException(number, "unexpected text after the type", line);
    }
    MetricType type = MetricType.parse(typeText).orElseThrow(() -> new ExpositionFormatException(number,
        "unknown metric type '" + typeText + "' (expected counter, gauge, histogram, summary or untyped)", line));
    families.type(name, type, number, line);
  }

  private static String unescapeHelp(String line, int from, int number) throws ExpositionFormatException {
    StringBuilder help = new StringBuilder(line.length() - from);
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != '\\') {
        help.append(c);
        continue;
      }
      if (++i == line.length()) {
        throw new ExpositionFormatException(number, "HELP text ends with a lone backslash", line);
      }
      switch (line.charAt(i)) {
        case '\\' -> help.append('\\');
        case 'n' -> help.append('\n');
        default -> throw new ExpositionFormatException(number,
            "invalid escape sequence '\\" + line.charAt(i) + "' in HELP text (only \\\\ and \\n are allowed)", line);
      }
    }
    return help.toString();
  }

  private static Sample parseSample(String line, int from, int number, Map<String, String> strings)
      throws ExpositionFormatException {
    int nameEnd = metricNameEnd(line, from);
    if (nameEnd == from) {
      throw new ExpositionFormatException(number, "expected a metric name", line);
    }
    String name = intern(strings, line.substring(from, nameEnd));
    Map<String, String> labels = new LinkedHashMap<>();
    int p = skipBlanks(line, nameEnd);
    if (p < line.length() && line.charAt(p) == '{') {
      p = skipBlanks(line, parseLabels(line, p + 1, number, labels, strings));
    }
    if (p == line.length()) {
      throw new ExpositionFormatException(number, "sample of " + name + " has no value", line);
    }
    int valueEnd = skipNonBlanks(line, p);
    String valueText = line.substring(p, valueEnd);
    double value;
    try {
      value = parseValue(valueText);
    } catch (NumberFormatException e) {
      throw new ExpositionFormatException(number, "invalid sample value '" + valueText + "'", line);
    }
    p = skipBlanks(line, valueEnd);
    OptionalLong timestamp = OptionalLong.empty();
    if (p < line.length()) {
      int timestampEnd = skipNonBlanks(line, p);
      String timestampText = line.substring(p, timestampEnd);
      try {
        if (!isInteger(timestampText)) {
          throw new NumberFormatException(timestampText);
        }
        timestamp = OptionalLong.of(Long.parseLong(timestampText));
      } catch (NumberFormatException e) {
        throw new ExpositionFormatException(number,
            "invalid timestamp '" + timestampText + "' (expected integer milliseconds)", line);
      }
      if (skipBlanks(line, timestampEnd) != line.length()) {
        throw new ExpositionFormatException(number, "unexpected text after the timestamp", line);
      }
    }
    return new Sample(name, labels, value, timestamp, number);
  }

  /** Parses labels after the opening brace; returns the index after the closing brace. */
  private static int parseLabels(String line, int from, int number, Map<String, String> labels,
      Map<String, String> strings) throws ExpositionFormatException {
    int p = from;
    while (true) {
      p = skipBlanks(line, p);
      if (p == line.length()) {
        throw new ExpositionFormatException(number, "unterminated label set (missing '}')", line);
      }
      if (line.charAt(p) == '}') {
        return p + 1;
      }
      int nameEnd = labelNameEnd(line, p);
      if (nameEnd == p) {
        throw new ExpositionFormatException(number, "invalid label name at column " + (p + 1), line);
      }
      String name = intern(strings, line.substring(p, nameEnd));
      if (name.startsWith("__")) {
        throw new ExpositionFormatException(number, "label name '" + name + "' is reserved (starts with __)", line);
      }
      p = skipBlanks(line, nameEnd);
      if (p == line.length() || line.charAt(p) != '=') {
        throw new ExpositionFormatException(number, "expected '=' after label name '" + name + "'", line);
      }
      p = skipBlanks(line, p + 1);
      if (p == line.length() || line.charAt(p) != '"') {
        throw new ExpositionFormatException(number, "expected '\"' to open the value of label '" + name + "'", line);
      }
      p++;
      int plainEnd = p;
      while (plainEnd < line.length() && line.charAt(plainEnd) != '"' && line.charAt(plainEnd) != '\\') {
        plainEnd++;
      }
      StringBuilder value;
      if (plainEnd < line.length() && line.charAt(plainEnd) == '"') { // no escapes: the common case
        value = null;
      } else {
        value = new StringBuilder(line.length() - p).append(line, p, plainEnd);
        p = plainEnd;
      }
      String plain = value == null ? line.substring(p, plainEnd) : null;
      if (value == null) {
        p = plainEnd + 1;
      }
      while (value != null) {
        if (p == line.length()) {
          throw new ExpositionFormatException(number, "unterminated value of label '" + name + "'", line);
        }
        char c = line.charAt(p++);
        if (c == '"') {
          break;
        }
        if (c != '\\') {
          value.append(c);
          continue;
        }
        if (p == line.length()) {
          throw new ExpositionFormatException(number, "unterminated value of label '" + name + "'", line);
        }
        char escaped = line.charAt(p++);
        switch (escaped) {
          case '\\' -> value.append('\\');
          case '"' -> value.append('"');
          case 'n' -> value.append('\n');
          default -> throw new ExpositionFormatException(number, "invalid escape sequence '\\" + escaped
              + "' in the value of label '" + name + "' (only \\\\, \\\" and \\n are allowed)", line);
        }
      }
      if (labels.putIfAbsent(name, intern(strings, value == null ? plain : value.toString())) != null) {
        throw new ExpositionFormatException(number, "duplicate label '" + name + "'", line);
      }
      p = skipBlanks(line, p);
      if (p == line.length()) {
        throw new ExpositionFormatException(number, "unterminated label set (missing '}')", line);
      }
      char next = line.charAt(p);
      if (next == ',') {
        p++;
      } else if (next != '}') {
        throw new ExpositionFormatException(number,
            "expected ',' or '}' after the value of label '" + name + "'", line);
      }
    }
  }

  private static String intern(Map<String, String> strings, String text) {
    String known = strings.putIfAbsent(text, text);
    return known != null ? known : text;
  }

  private static int metricNameEnd(String line, int from) {
    int p = from;
    while (p < line.length()) {
      char c = line.charAt(p);
      boolean valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':'
          || (p > from && c >= '0' && c <= '9');
      if (!valid) {
        break;
      }
      p++;
    }
    return p;
  }

  private static int labelNameEnd(String line, int from) {
    int p = from;
    while (p < line.length()) {
      char c = line.charAt(p);
      boolean valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || (p > from && c >= '0' && c <= '9');
      if (!valid) {
        break;
      }
      p++;
    }
    return p;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static int skipBlanks(String line, int from) {
    int p = from;
    while (p < line.length() && isBlank(line.charAt(p))) {
      p++;
    }
    return p;
  }

  private static int skipNonBlanks(String line, int from) {
    int p = from;
    while (p < line.length() && !isBlank(line.charAt(p))) {
      p++;
    }
    return p;
  }

  private static String decodeUtf8(byte[] bytes) throws ExpositionFormatException {
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.ISO_8859_1); // ASCII is valid UTF-8; this is the fast path
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new ExpositionFormatException(line, "not UTF-8 at byte " + in.position(), null);
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** The families being built, checking that each family's lines are grouped. */
  private static final class Families {

    private final List<Builder> order = new ArrayList<>();
    /** Every family name and sample name seen, with the family it belongs to. */
    private final Map<String, Builder> owners = new HashMap<>();
    private Builder current;

    void help(String name, String help, int number, String line) throws ExpositionFormatException {
      Builder family = forMetadata(name, "HELP", number, line);
      if (family.help != null) {
        throw new ExpositionFormatException(number, "second HELP line for " + name, line);
      }
      family.help = help;
    }

    void type(String name, MetricType type, int number, String line) throws ExpositionFormatException {
      Builder family = forMetadata(name, "TYPE", number, line);
      if (family.typed) {
        throw new ExpositionFormatException(number, "second TYPE line for " + name, line);
      }
      family.type = type;
      family.typed = true;
    }

    private Builder forMetadata(String name, String kind, int number, String line) throws ExpositionFormatException {
      if (current != null && current.name.equals(name)) {
        if (!current.samples.isEmpty()) {
          throw new ExpositionFormatException(number, kind + " line for " + name + " after its samples", line);
        }
        return current;
      }
      Builder owner = owners.get(name);
      if (owner != null) {
        throw new ExpositionFormatException(number, kind + " line for " + name + ", which already appeared at line "
            + owner.firstLine + ": the lines of a metric family must be grouped", line);
      }
      return start(name, number);
    }

    void add(Sample sample, String line) throws ExpositionFormatException {
      Builder family = current != null && current.accepts(sample.name()) ? current : null;
      if (family == null) {
        Builder owner = owners.get(sample.name());
        if (owner != null) {
          throw new ExpositionFormatException(sample.line(), "sample of " + sample.name() + " outside its metric family "
              + owner.name + " (which started at line " + owner.firstLine + "): the lines of a family must be grouped",
              line);
        }
        family = start(sample.name(), sample.line());
      }
      family.add(sample, line);
      owners.putIfAbsent(sample.name(), family);
    }

    private Builder start(String name, int number) {
      Builder family = new Builder(name, number);
      order.add(family);
      owners.put(name, family);
      current = family;
      return family;
    }

    Exposition build() {
      List<MetricFamily> families = new ArrayList<>(order.size());
      for (Builder family : order) {
        families.add(new MetricFamily(family.name, family.type, Optional.ofNullable(family.help), family.samples));
      }
      return new Exposition(families);
    }
  }

  /** A series: its name and labels (map equality ignores the labels' order, as the format does). */
  private record SeriesKey(String name, Map<String, String> labels) {}

  private static final class Builder {

    final String name;
    final int firstLine;
    MetricType type = MetricType.UNTYPED;
    boolean typed;
    String help;
    final List<Sample> samples = new ArrayList<>();
    final Map<SeriesKey, Integer> seriesLines = new HashMap<>();

    Builder(String name, int firstLine) {
      this.name = name;
      this.firstLine = firstLine;
    }

    boolean accepts(String sampleName) {
      return switch (type) {
        case HISTOGRAM -> sampleName.equals(name + "_bucket") || sampleName.equals(name + "_count")
            || sampleName.equals(name + "_sum");
        case SUMMARY -> sampleName.equals(name) || sampleName.equals(name + "_count") || sampleName.equals(name + "_sum");
        default -> sampleName.equals(name);
      };
    }

    void add(Sample sample, String line) throws ExpositionFormatException {
      if (type == MetricType.HISTOGRAM && sample.name().equals(name + "_bucket")) {
        requireNumericLabel(sample, "le", "histogram bucket", line);
      } else if (type == MetricType.SUMMARY && sample.name().equals(name)) {
        requireNumericLabel(sample, "quantile", "summary quantile", line);
      }
      SeriesKey series = new SeriesKey(sample.name(), sample.labels());
      Integer first = seriesLines.putIfAbsent(series, sample.line());
      if (first != null) {
        throw new ExpositionFormatException(sample.line(), "duplicate sample of " + sample.name()
            + " with the same labels as line " + first, line);
      }
      samples.add(sample);
    }

    private static void requireNumericLabel(Sample sample, String label, String what, String line)
        throws ExpositionFormatException {
      String value = sample.labels().get(label);
      if (value == null) {
        throw new ExpositionFormatException(sample.line(), what + " without a '" + label + "' label", line);
      }
      try {
        if (Double.isNaN(parseValue(value))) {
          throw new NumberFormatException(value);
        }
      } catch (NumberFormatException e) {
        throw new ExpositionFormatException(sample.line(), what + " with a non-numeric " + label + "=\"" + value + "\"",
            line);
      }
    }
  }
}
