package io.kubeobserve.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The untyped configuration tree: maps, lists and scalars as YAML gives them, before binding.
 * Overrides address it by path segments: a {@code String} key or an {@code Integer} list index.
 */
final class ConfigTree {

  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

  private ConfigTree() {}

  static Map<String, Object> readResource(String resource) {
    try (InputStream in = ConfigTree.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing defaults resource " + resource);
      }
      return asMap(YAML.readValue(in, Object.class), resource);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable defaults resource " + resource, e);
    }
  }

  static Map<String, Object> readFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("", "config file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("", "config file " + file + " cannot be read: " + e.getMessage());
    }
    if (text.isBlank()) {
      return new LinkedHashMap<>();
    }
    try {
      return asMap(YAML.readValue(text, Object.class), "config file " + file);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException("", "config file " + file + " is not valid YAML" + where + ": "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object root, String what) {
    if (root == null) {
      return new LinkedHashMap<>();
    }
    if (!(root instanceof Map)) {
      throw new ConfigException("", what + ": expected a map of keys at the top level");
    }
    return (Map<String, Object>) root;
  }

  /** Merges {@code over} into {@code base}: maps key by key, anything else replaced whole. */
  @SuppressWarnings("unchecked")
  static void merge(Map<String, Object> base, Map<String, Object> over) {
    for (Map.Entry<String, Object> entry : over.entrySet()) {
      Object existing = base.get(entry.getKey());
      if (existing instanceof Map && entry.getValue() instanceof Map) {
        merge((Map<String, Object>) existing, (Map<String, Object>) entry.getValue());
      } else {
        base.put(entry.getKey(), entry.getValue());
      }
    }
  }

  /** Sets the value at {@code path}, creating the maps and list slots on the way. */
  @SuppressWarnings("unchecked")
  static void put(Map<String, Object> root, List<Object> path, Object value) {
    Object container = root;
    for (int i = 0; i < path.size(); i++) {
      Object segment = path.get(i);
      boolean last = i == path.size() - 1;
      Object nextContainer = last ? null : (path.get(i + 1) instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>());
      if (container instanceof Map<?, ?> map && segment instanceof String key) {
        Map<String, Object> m = (Map<String, Object>) map;
        if (last) {
          m.put(key, value);
        } else {
          Object child = m.get(key);
          if (!isSameKind(child, nextContainer)) {
            m.put(key, nextContainer);
            child = nextContainer;
          }
          container = child;
        }
      } else if (container instanceof List<?> list && segment instanceof Integer index) {
        List<Object> l = (List<Object>) list;
        while (l.size() <= index) {
          l.add(null);
        }
        if (last) {
          l.set(index, value);
        } else {
          Object child = l.get(index);
          if (!isSameKind(child, nextContainer)) {
            l.set(index, nextContainer);
            child = nextContainer;
          }
          container = child;
        }
      } else {
        throw new ConfigException(KeyPath.render(path.subList(0, i + 1)),
            segment instanceof Integer ? "is not a list" : "is not a map");
      }
    }
  }

  private static boolean isSameKind(Object existing, Object wanted) {
    return (existing instanceof Map && wanted instanceof Map) || (existing instanceof List && wanted instanceof List);
  }
}
