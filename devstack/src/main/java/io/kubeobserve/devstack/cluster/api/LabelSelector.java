package io.kubeobserve.devstack.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A label selector in the string form of {@code ?labelSelector=}: comma-separated requirements
 * {@code key}, {@code !key}, {@code key=value}, {@code key==value}, {@code key!=value},
 * {@code key in (a,b)}, {@code key notin (a,b)} (k8s.io/apimachinery/pkg/labels).
 */
final class LabelSelector implements Predicate<JsonNode> {

  static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private enum Operator { EXISTS, NOT_EXISTS, EQUALS, NOT_EQUALS, IN, NOT_IN }

  private record Requirement(String key, Operator operator, Set<String> values) {
    boolean matches(JsonNode labels) {
      JsonNode value = labels.get(key);
      boolean present = value != null && !value.isNull();
      String text = present ? value.asText() : "";
      return switch (operator) {
        case EXISTS -> present;
        case NOT_EXISTS -> !present;
        case EQUALS, IN -> present && values.contains(text);
        case NOT_EQUALS, NOT_IN -> !present || !values.contains(text);
      };
    }
  }

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /** Parses {@code selector}; blank selects everything; a malformed selector is a 400. */
  static LabelSelector parse(String selector) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String term : splitTopLevel(selector)) {
      requirements.add(parseTerm(term.trim(), selector));
    }
    return new LabelSelector(List.copyOf(requirements));
  }

  boolean isEverything() {
    return requirements.isEmpty();
  }

  @Override
  public boolean test(JsonNode object) {
    JsonNode labels = object.path("metadata").path("labels");
    for (Requirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  private static List<String> splitTopLevel(String selector) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    return terms;
  }

  private static Requirement parseTerm(String term, String selector) {
    if (term.isEmpty()) {
      throw invalid(selector);
    }
    if (term.startsWith("!")) {
      return new Requirement(key(term.substring(1).trim(), selector), Operator.NOT_EXISTS, Set.of());
    }
    int paren = term.indexOf('(');
    if (paren > 0) {
      String head = term.substring(0, paren).trim();
      if (!term.endsWith(")")) {
        throw invalid(selector);
      }
      Set<String> values = new java.util.LinkedHashSet<>();
      for (String value : term.substring(paren + 1, term.length() - 1).split(",")) {
        values.add(value.trim());
      }
      String[] words = head.split("\\s+");
      if (words.length != 2) {
        throw invalid(selector);
      }
      Operator operator = switch (words[1]) {
        case "in" -> Operator.IN;
        case "notin" -> Operator.NOT_IN;
        default -> throw invalid(selector);
      };
      return new Requirement(key(words[0], selector), operator, Set.copyOf(values));
    }
    int notEquals = term.indexOf("!=");
    if (notEquals > 0) {
      return new Requirement(key(term.substring(0, notEquals).trim(), selector), Operator.NOT_EQUALS,
          Set.of(term.substring(notEquals + 2).trim()));
    }
    int equals = term.indexOf('=');
    if (equals > 0) {
      int valueStart = term.startsWith("==", equals) ? equals + 2 : equals + 1;
      return new Requirement(key(term.substring(0, equals).trim(), selector), Operator.EQUALS,
          Set.of(term.substring(valueStart).trim()));
    }
    return new Requirement(key(term, selector), Operator.EXISTS, Set.of());
  }

  private static String key(String key, String selector) {
    if (key.isEmpty() || !key.matches("[A-Za-z0-9._/-]+")) {
      throw invalid(selector);
    }
    return key;
  }

  private static StatusException invalid(String selector) {
    return StatusException.badRequest("unable to parse requirement: invalid label selector \""
        + selector + "\"");
  }

  @Override
  public String toString() {
    return requirements.toString();
  }
}
