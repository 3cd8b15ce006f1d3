package io.kubeobserve.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kube-observe agent --once --output json --set logs.root=DIR} on a small pod log tree. */
class AgentDryRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path root;

  @Test
  void printsOneJsonObjectPerRecordOfEveryFile() throws Exception {
    Path cri = root.resolve("shop_api-7d4b9c-x2x7k_0e3b5c5e-6f7a-4b1e-9a43-2d7f0c1a5b11/api/1.log");
    Files.createDirectories(cri.getParent());
    Files.writeString(cri, """
        2024-05-01T10:00:00.000000001Z stdout F listening on :8080
        2024-05-01T10:00:01.500000000Z stderr P java.lang.IllegalStateException:\s
        2024-05-01T10:00:01.600000000Z stderr F boom
        not a container log line
        """);
    Path docker = root.resolve("legacy_web-0_5b1c/web/0.log");
    Files.createDirectories(docker.getParent());
    Files.writeString(docker, "{\"log\":\"GET / 200\\n\",\"stream\":\"stdout\",\"time\":\"2016-10-05T00:00:30.082640485Z\"}\n");
    Files.write(root.resolve("legacy_web-0_5b1c/web/1.log"), "héllo \u00ff".getBytes(StandardCharsets.ISO_8859_1));

    CommandLineTester run = CommandLineTester.run("agent", "--once", "--output", "json", "--set",
        "logs.root=" + root, "--set", "node.name=node-a", "--set", "cluster.name=dev");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> records = new ArrayList<>();
    for (String line : run.out().split("\n")) {
      records.add(JSON.readTree(line));
    }
    assertThat(records).hasSize(5);
    JsonNode legacy = records.get(0);
    assertThat(legacy.get("log").asText()).isEqualTo("GET / 200");
    assertThat(legacy.get("time").asText()).isEqualTo("2016-10-05T00:00:30.082640485Z");
    assertThat(legacy.get("resource").get("k8s.namespace.name").asText()).isEqualTo("legacy");
    JsonNode invalidUtf8 = records.get(1);
    assertThat(invalidUtf8.get("unparsed").asBoolean()).isTrue();
    assertThat(invalidUtf8.get("log").asText()).isEqualTo("h\uFFFDllo \uFFFD");
    assertThat(records.subList(2, 5)).extracting(r -> r.get("log").asText()).containsExactly(
        "listening on :8080", "java.lang.IllegalStateException: boom", "not a container log line");
    JsonNode first = records.get(2);
    assertThat(first.get("time").asText()).isEqualTo("2024-05-01T10:00:00.000000001Z");
    assertThat(first.get("stream").asText()).isEqualTo("stdout");
    assertThat(first.has("partial")).isFalse();
    assertThat(first.get("file").asText()).isEqualTo(cri.toString());
    assertThat(first.get("uid").asText()).matches("[0-9a-f]{32}");
    assertThat(first.get("resource").toString()).isEqualTo("{\"k8s.cluster.name\":\"dev\",\"k8s.node.name\":\"node-a\","
        + "\"k8s.namespace.name\":\"shop\",\"k8s.pod.name\":\"api-7d4b9c-x2x7k\","
        + "\"k8s.pod.uid\":\"0e3b5c5e-6f7a-4b1e-9a43-2d7f0c1a5b11\",\"k8s.container.name\":\"api\","
        + "\"k8s.container.restart_count\":1}");
    assertThat(records.get(3).get("stream").asText()).isEqualTo("stderr");
    assertThat(records.get(4).get("unparsed").asBoolean()).isTrue();
  }

  @Test
  void otherServicesRejectTheDryRunOptions() {
    CommandLineTester run = CommandLineTester.run("router", "--once");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--once and --output are options of the agent's dry run only, not of router");
  }
}
