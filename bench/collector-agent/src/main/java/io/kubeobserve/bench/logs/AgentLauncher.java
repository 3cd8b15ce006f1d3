package io.kubeobserve.bench.logs;

import io.kubeobserve.devstack.process.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the agent from the shaded jar as a DaemonSet would run it ({@code java <options> -cp
 * kube-observe.jar io.kubeobserve.launcher.KubeObserve agent --config FILE}), with its
 * configuration written as YAML from dotted keys. Keys the agent rejects as unknown are left out
 * (and reported) so the harness measures whichever agent is built.
 */
final class AgentLauncher {

  private static final Pattern UNKNOWN_KEY = Pattern.compile("config error: (\\S+): unknown key");

  private final Path jar;
  private final List<String> jvmOptions;
  private final Map<String, String> environment;
  private final Map<String, Object> settings;
  private final Path work;
  private final TreeSet<String> ignored = new TreeSet<>();

  AgentLauncher(Path jar, List<String> jvmOptions, Map<String, String> environment, Map<String, Object> settings,
      Path work) {
    this.jar = jar;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.environment = Map.copyOf(environment);
    this.settings = new LinkedHashMap<>(settings);
    this.work = work;
  }

  /** Starts the agent and waits until {@code /healthz} on {@code ops.port} answers. */
  ChildProcess start() throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    URI health = URI.create("http://127.0.0.1:" + settings.get("ops.port") + "/healthz");
    while (true) {
      Path config = work.resolve("agent.yaml");
      Files.writeString(config, yaml(settings));
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", jar.toString(), "io.kubeobserve.launcher.KubeObserve", "agent", "--config",
          config.toString()));
      ChildProcess agent = ChildProcess.start("agent", command, environment, work, work.resolve("agent.log"));
      try {
        agent.awaitReady(Duration.ofSeconds(90), () -> http.send(HttpRequest.newBuilder(health).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return agent;
      } catch (IllegalStateException e) {
        String key = null;
        for (Matcher unknown = UNKNOWN_KEY.matcher(agent.tail(5)); unknown.find(); ) {
          key = unknown.group(1);
        }
        if (agent.isAlive() || key == null || settings.remove(key) == null) {
          throw e;
        }
        ignored.add(key);
        System.err.println("the agent does not know " + key + ": running without it");
      }
    }
  }

  /** Keys the agent rejected as unknown. */
  List<String> ignoredSettings() {
    return List.copyOf(ignored);
  }

  /** Nested YAML of dotted keys ({@code a.b: 1} becomes {@code a:\n  b: 1}); values are quoted strings or lists. */
  static String yaml(Map<String, Object> dotted) {
    Map<String, Object> tree = new LinkedHashMap<>();
    dotted.forEach((key, value) -> {
      Map<String, Object> node = tree;
      String[] parts = key.split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        @SuppressWarnings("unchecked")
        Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
        node = child;
      }
      node.put(parts[parts.length - 1], value);
    });
    StringBuilder text = new StringBuilder();
    render(tree, "", text);
    return text.toString();
  }

  private static void render(Map<String, Object> tree, String indent, StringBuilder text) {
    tree.forEach((key, value) -> {
      text.append(indent).append(key).append(':');
      if (value instanceof Map<?, ?> map) {
        text.append('\n');
        @SuppressWarnings("unchecked")
        Map<String, Object> child = (Map<String, Object>) map;
        render(child, indent + "  ", text);
      } else if (value instanceof List<?> list) {
        text.append(" [").append(String.join(", ", list.stream().map(v -> "\"" + v + "\"").toList())).append("]\n");
      } else {
        text.append(" \"").append(value).append("\"\n");
      }
    });
  }
}
