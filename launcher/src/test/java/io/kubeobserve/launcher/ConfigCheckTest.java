package io.kubeobserve.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {

  @TempDir Path dir;

  @Test
  void aValidFileIsReportedWithTheServicesItSuits() throws Exception {
    Path file = Files.writeString(dir.resolve("agent.yaml"), """
        kafka:
          bootstrapServers: [kafka-0.kafka:9092, kafka-1.kafka:9092]
        cluster:
          name: prod-eu
        logs:
          root: /var/log/pods
        """);

    CommandLineTester result = CommandLineTester.run("config", "check", file.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(file + ": valid for agent\n");
  }

  @Test
  void aFileValidForEveryServiceSaysSo() throws Exception {
    Path file = Files.writeString(dir.resolve("common.yaml"), "cluster:\n  name: prod-eu\n");

    CommandLineTester result = CommandLineTester.run("config", "check", file.toString());

    assertThat(result.out()).isEqualTo(file + ": valid for agent, router, adapter, alerts\n");
  }

  @Test
  void anInvalidFileExitsWithTwoAndNamesTheKeyForTheChosenService() throws Exception {
    Path file = Files.writeString(dir.resolve("router.yaml"), "elasticsearch:\n  urls: [localhost:9200]\n");

    CommandLineTester result = CommandLineTester.run("config", "check", "--service", "router", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo("router: elasticsearch.urls[0]: expected a URL such as https://host:port, got 'localhost:9200'\n");
  }

  @Test
  void aServiceWithABadOverrideStopsBeforeStartingWithExitCodeTwo() {
    CommandLineTester result = CommandLineTester.run("agent", "--set", "ops.port=99999");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("kube-observe agent: config error: ops.port: expected a port number 0..65535, got 99999\n");
  }

  @Test
  void secretsAreNotPrintedWhenTheirFileIsMissing() {
    CommandLineTester result = CommandLineTester.run("alerts", "--set", "receivers[0].name=oncall",
        "--set", "receivers[0].type=slack", "--set", "receivers[0].urlFile=/nonexistent/slack-url");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).isEqualTo("kube-observe alerts: config error: receivers[0].urlFile: expected a readable "
        + "file holding the secret, but '/nonexistent/slack-url' cannot be read\n");
  }
}
