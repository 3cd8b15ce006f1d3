package io.kubeobserve.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeobserve.core.config.SampleConfig.Logs.StartAt;
import io.kubeobserve.core.config.SampleConfig.Receiver.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

  @TempDir Path dir;

  private SampleConfig load(String yaml, List<String> sets, Map<String, String> env) throws IOException {
    Optional<Path> file = Optional.empty();
    if (yaml != null) {
      Path path = dir.resolve("config.yaml");
      Files.writeString(path, yaml);
      file = Optional.of(path);
    }
    return ConfigLoader.load(SampleConfig.class, new ConfigSources(file, sets, env),
        "core-defaults.yaml", "sample-defaults.yaml");
  }

  private String error(String yaml, List<String> sets, Map<String, String> env) {
    try {
      load(yaml, sets, env);
    } catch (ConfigException e) {
      return e.getMessage();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a configuration error");
  }

  @Test
  void defaultsAloneGiveTheDocumentedValues() throws IOException {
    SampleConfig config = load(null, List.of(), Map.of());

    assertThat(config.kafka().bootstrapServers()).containsExactly("localhost:9092");
    assertThat(config.kafka().topics().logs()).isEqualTo("k8s-logs");
    assertThat(config.kafka().topics().deadletter()).isEqualTo("k8s-deadletter");
    assertThat(config.kafka().provisioning().replicationFactor()).isEqualTo(3);
    assertThat(config.kafka().provisioning().minInsyncReplicas()).isEqualTo(2);
    assertThat(config.kafka().provisioning().retention().logs()).isEqualTo(Duration.ofDays(3));
    assertThat(config.ops().port()).isEqualTo(8080);
    assertThat(config.elasticsearch().password()).isEmpty();
    assertThat(config.logs().startAt()).isEqualTo(StartAt.BEGINNING);
  }

  @Test
  void fileThenEnvironmentThenSetEachOverrideTheOneBefore() throws IOException {
    String yaml = """
        kafka:
          bootstrapServers: [file:9092]
        ops:
          port: 9000
        cluster:
          name: from-file
        """;
    SampleConfig config = load(yaml,
        List.of("ops.port=9002", "elasticsearch.urls={http://a:9200, https://b:9200}"),
        Map.of("KUBE_OBSERVE_OPS_PORT", "9001", "KUBE_OBSERVE_CLUSTER_NAME", "from-env",
            "KUBE_OBSERVE_KAFKA_BOOTSTRAP_SERVERS", "env-1:9092,env-2:9092", "PATH", "/usr/bin"));

    assertThat(config.ops().port()).isEqualTo(9002);
    assertThat(config.cluster().name()).isEqualTo("from-env");
    assertThat(config.kafka().bootstrapServers()).containsExactly("env-1:9092", "env-2:9092");
    assertThat(config.elasticsearch().urls()).containsExactly(URI.create("http://a:9200"), URI.create("https://b:9200"));
  }

  @Test
  void kafkaPropertiesKeepTheirDottedNamesFromEverySource() throws IOException {
    SampleConfig config = load("""
            kafka:
              properties:
                security.protocol: SASL_SSL
            """,
        List.of("kafka.properties.sasl.mechanism=SCRAM-SHA-512"),
        Map.of("KUBE_OBSERVE_KAFKA_PROPERTIES_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.jks"));

    assertThat(config.kafka().properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "ssl.truststore.location", "/etc/kafka/truststore.jks"));
  }

  @Test
  void listsOfRecordsAreSetByIndex() throws IOException {
    Path url = dir.resolve("slack-url");
    Files.writeString(url, "https://hooks.slack.example/T000/B000/XXXX\n");
    SampleConfig config = load(null,
        List.of("receivers[0].name=oncall", "receivers[0].type=slack", "receivers[0].urlFile=" + url,
            "receivers[1].name=audit", "receivers[1].type=webhook"),
        Map.of("KUBE_OBSERVE_RECEIVERS_1_URL", "http://audit.example/hook"));

    assertThat(config.receivers()).extracting(SampleConfig.Receiver::name).containsExactly("oncall", "audit");
    assertThat(config.receivers().get(0).type()).isEqualTo(Kind.SLACK);
    assertThat(config.receivers().get(0).url().reveal()).isEqualTo("https://hooks.slack.example/T000/B000/XXXX");
    assertThat(config.receivers().get(1).url().reveal()).isEqualTo("http://audit.example/hook");
    assertThat(config.receivers().get(0).url().toString()).doesNotContain("slack");
  }

  static List<Arguments> badConfigurations() {
    return List.of(
        Arguments.of("unknown key", "kafka:\n  bootstrapServer: [a:9092]\n", List.of(), Map.of(),
            "kafka.bootstrapServer: unknown key (did you mean 'bootstrapServers'?)"),
        Arguments.of("unknown top-level key", "logging: {level: debug}\n", List.of(), Map.of(),
            "logging: unknown key"),
        Arguments.of("wrong type", "ops:\n  port: eighty\n", List.of(), Map.of(),
            "ops.port: expected an integer, got 'eighty'"),
        Arguments.of("map where a scalar belongs", "cluster:\n  name: {a: b}\n", List.of(), Map.of(),
            "cluster.name: expected a string, got a map"),
        Arguments.of("bad port", null, List.of("ops.port=70000"), Map.of(),
            "ops.port: expected a port number 0..65535, got 70000"),
        Arguments.of("bad duration", "elasticsearch:\n  flushInterval: 10 seconds\n", List.of(), Map.of(),
            "elasticsearch.flushInterval: expected a duration such as 500ms, 30s, 5m, 2h or 7d, got '10 seconds'"),
        Arguments.of("bare number as duration", null, List.of("ops.shutdownTimeout=20"), Map.of(),
            "ops.shutdownTimeout: expected a duration such as 500ms, 30s, 5m, 2h or 7d, got '20'"),
        Arguments.of("bad URL", null, List.of("elasticsearch.urls={localhost:9200}"), Map.of(),
            "elasticsearch.urls[0]: expected a URL such as https://host:port, got 'localhost:9200'"),
        Arguments.of("URL with the wrong scheme", null, List.of("elasticsearch.urls={ftp://es:21}"), Map.of(),
            "elasticsearch.urls: expected an http:// or https:// URL, got 'ftp://es:21'"),
        Arguments.of("bad host:port", null, List.of(), Map.of("KUBE_OBSERVE_KAFKA_BOOTSTRAP_SERVERS", "broker-1"),
            "kafka.bootstrapServers[0]: expected host:port, got 'broker-1'"),
        Arguments.of("missing required value", "cluster:\n  name: ~\n", List.of(), Map.of(),
            "cluster.name: missing required value (expected a string)"),
        Arguments.of("missing required secret", null, List.of("receivers[0].name=x", "receivers[0].type=slack"),
            Map.of(), "receivers[0].url: missing required secret: set urlFile to a file holding it"),
        Arguments.of("bad --set syntax", null, List.of("ops.port"), Map.of(),
            "--set ops.port: expected key=value"),
        Arguments.of("bad --set key path", null, List.of("receivers[x].name=a"), Map.of(),
            "--set receivers[x].name: malformed key path: expected a list index such as [0]"),
        Arguments.of("empty key segment", null, List.of("ops..port=1"), Map.of(),
            "--set ops..port: malformed key path: expected a non-empty key between dots"),
        Arguments.of("unknown environment variable", null, List.of(), Map.of("KUBE_OBSERVE_OPS_PROT", "1"),
            "KUBE_OBSERVE_OPS_PROT: environment variable names no configuration key of this service"),
        Arguments.of("enum value", null, List.of("logs.startAt=middle"), Map.of(),
            "logs.startAt: expected one of [beginning, end], got 'middle'"),
        Arguments.of("boolean", null, List.of("kafka.provisioning.enabled=yes please"), Map.of(),
            "kafka.provisioning.enabled: expected true or false, got 'yes please'"),
        Arguments.of("range across keys", null,
            List.of("kafka.provisioning.replicationFactor=1", "kafka.provisioning.minInsyncReplicas=2"), Map.of(),
            "kafka.provisioning.minInsyncReplicas: expected at most replicationFactor (1), got 2"),
        Arguments.of("list where a map belongs", "ops: [1, 2]\n", List.of(), Map.of(),
            "ops: expected a map of {port, address, readinessInterval, shutdownTimeout}"),
        Arguments.of("invalid YAML", "kafka:\n  topics: [unclosed\n", List.of(), Map.of(),
            "is not valid YAML at line"),
        Arguments.of("duplicate key", "ops:\n  port: 1\n  port: 2\n", List.of(), Map.of(),
            "is not valid YAML at line 3: Duplicate field 'port'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigurations")
  void badConfigurationNamesTheKeyAndWhatWasExpected(
      String name, String yaml, List<String> sets, Map<String, String> env, String expected) {
    assertThat(error(yaml, sets, env)).contains(expected);
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(SampleConfig.class,
            new ConfigSources(Optional.of(missing), List.of(), Map.of()), "core-defaults.yaml", "sample-defaults.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + missing + " does not exist");
  }

  @Test
  void secretValuesNeverAppearInErrors() {
    String message = error(null, List.of("receivers[0].name=x", "receivers[0].type=slack",
        "receivers[0].url=https://hooks.slack.example/s3cr3t", "receivers[0].urlFile=/etc/hook"), Map.of());

    assertThat(message).isEqualTo("receivers[0].url: set either url or urlFile, not both");
    assertThat(error(null, List.of("elasticsearch.password={s3cr3t}"), Map.of()))
        .isEqualTo("elasticsearch.password: expected a secret string")
        .doesNotContain("s3cr3t");
  }
}
