package io.kubeobserve.devstack.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.kubeobserve.devstack.Ports;
import io.kubeobserve.devstack.process.ChildProcess;
import io.kubeobserve.devstack.process.FileTrees;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch server, started from the official distribution as a child
 * process on random loopback ports, with fresh data and log directories that {@link #close()}
 * deletes.
 *
 * <p>The distribution is Maven's {@code org.elasticsearch.distribution.integ-test-zip} one: it has
 * no bundled JDK (the server runs on this JVM's Java unless {@value #JAVA_HOME_PROPERTY} says
 * otherwise) and only the modules {@code transport-netty4}, {@code x-pack-core}, {@code
 * x-pack-security} and {@code apm}. Without {@code rest-root}, {@code GET /} and {@code ping()}
 * answer 405; cluster health works. Without the data-streams module the {@code _data_stream} APIs
 * answer 405, but index templates with {@code data_stream: {}} and bulk {@code create} into a data
 * stream work. Indices get the default one replica, so a single node is yellow, not green.
 *
 * <p>Elasticsearch refuses to run as root; when this JVM is root the server runs as {@code nobody}
 * (see {@link ServerUser}).
 */
public final class LocalElasticsearch implements AutoCloseable {

  /**
   * System property naming the JDK Elasticsearch runs on (default: this JVM's {@code java.home}).
   */
  public static final String JAVA_HOME_PROPERTY = "kube-observe.elasticsearch.javaHome";

  /** The user name of the built-in superuser when security is enabled. */
  public static final String SUPERUSER = "elastic";

  private static final Logger log = LoggerFactory.getLogger(LocalElasticsearch.class);
  private static final int START_ATTEMPTS = 3;

  private final String version;
  private final int httpPort;
  private final int transportPort;
  private final Path instanceDirectory;
  private final ChildProcess process;
  private final String password;
  private final AtomicBoolean closed = new AtomicBoolean();
  private ElasticsearchClient client;

  private LocalElasticsearch(
      String version,
      int httpPort,
      int transportPort,
      Path instanceDirectory,
      ChildProcess process,
      String password) {
    this.version = version;
    this.httpPort = httpPort;
    this.transportPort = transportPort;
    this.instanceDirectory = instanceDirectory;
    this.process = process;
    this.password = password;
  }

  /** Starts a server with the defaults: security off, 512 MiB heap; waits until it is ready. */
  public static LocalElasticsearch start() {
    return builder().start();
  }

  /** Options for a server: heap, security, start timeout, extra settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** The REST endpoint, such as {@code http://127.0.0.1:41234}. */
  public String httpUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** The HTTP port on 127.0.0.1. */
  public int httpPort() {
    return httpPort;
  }

  /** The transport (node-to-node) port on 127.0.0.1. */
  public int transportPort() {
    return transportPort;
  }

  /** The version of the server. */
  public String version() {
    return version;
  }

  /** The password of {@value #SUPERUSER} when security is enabled, otherwise empty. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** The file holding the server's output. */
  public Path logFile() {
    return process.logFile();
  }

  /**
   * A Java API client for this server (low-level {@link RestClient} and Jackson mapper), shared by
   * the callers and closed by {@link #close()}.
   */
  public synchronized ElasticsearchClient client() {
    if (closed.get()) {
      throw new IllegalStateException("Elasticsearch at " + httpUrl() + " is closed");
    }
    if (client == null) {
      var builder = RestClient.builder(new HttpHost("127.0.0.1", httpPort, "http"));
      if (password != null) {
        builder.setDefaultHeaders(
            new Header[] {new BasicHeader("Authorization", basicAuth(password))});
      }
      client =
          new ElasticsearchClient(
              new RestClientTransport(builder.build(), new JacksonJsonpMapper()));
    }
    return client;
  }

  /** Closes the client, stops the server and deletes its data; safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      if (client != null) {
        try {
          client._transport().close();
        } catch (IOException e) {
          log.debug("closing the Elasticsearch client failed", e);
        }
        client = null;
      }
    }
    process.close();
    FileTrees.deleteQuietly(instanceDirectory);
    log.info("Elasticsearch at {} stopped", httpUrl());
  }

  @Override
  public String toString() {
    return "LocalElasticsearch " + version + " at " + httpUrl();
  }

  private static String basicAuth(String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((SUPERUSER + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Options of a {@link LocalElasticsearch}. */
  public static final class Builder {
    private String heap = "512m";
    private String password;
    private Duration startTimeout = Duration.ofSeconds(120);
    private Path javaHome;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private Builder() {}

    /** The fixed heap size, such as {@code 512m} (the default). */
    public Builder heap(String heap) {
      this.heap = Objects.requireNonNull(heap);
      return this;
    }

    /**
     * Enables security (HTTP without TLS) with the superuser {@value LocalElasticsearch#SUPERUSER}
     * and this password; {@link LocalElasticsearch#client()} then authenticates as that user.
     */
    public Builder security(String superuserPassword) {
      if (superuserPassword == null || superuserPassword.length() < 6) {
        throw new IllegalArgumentException("Elasticsearch passwords have at least 6 characters");
      }
      this.password = superuserPassword;
      return this;
    }

    /** How long to wait for the cluster to turn yellow (default 120 s). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = Objects.requireNonNull(timeout);
      return this;
    }

    /**
     * The JDK to run the server on (default: the system property {@value
     * LocalElasticsearch#JAVA_HOME_PROPERTY}, else this JVM's {@code java.home}).
     */
    public Builder javaHome(Path javaHome) {
      this.javaHome = Objects.requireNonNull(javaHome);
      return this;
    }

    /** An extra {@code elasticsearch.yml} setting. */
    public Builder setting(String key, String value) {
      settings.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /** Starts the server and waits until its cluster is yellow. */
    public LocalElasticsearch start() {
      String version = ElasticsearchDistribution.version();
      ServerUser user = ServerUser.forThisJvm();
      Path home = ElasticsearchDistribution.home(version);
      Path java = resolveJavaHome();
      user.checkReachable(home, "the Elasticsearch distribution");
      user.checkReachable(java, "the JDK");
      for (int attempt = 1; ; attempt++) {
        try {
          return startOnce(version, home, java, user);
        } catch (PortTakenException e) {
          if (attempt == START_ATTEMPTS) {
            throw new IllegalStateException("Elasticsearch could not bind its ports", e);
          }
          log.info("Elasticsearch lost a race for a port; retrying with other ports");
        }
      }
    }

    private Path resolveJavaHome() {
      if (javaHome != null) {
        return javaHome;
      }
      String configured = System.getProperty(JAVA_HOME_PROPERTY);
      if (configured != null && !configured.isBlank()) {
        return Path.of(configured);
      }
      return Path.of(System.getProperty("java.home"));
    }

    private LocalElasticsearch startOnce(String version, Path home, Path java, ServerUser user) {
      int httpPort = Ports.freeLoopbackPort();
      int transportPort = Ports.freeLoopbackPort();
      while (transportPort == httpPort) {
        transportPort = Ports.freeLoopbackPort();
      }
      Path instance = createInstanceDirectory(home, user, httpPort, transportPort);
      Map<String, String> environment = environment(instance, java);
      List<String> command = new ArrayList<>(user.commandPrefix());
      command.add(home.resolve("bin/elasticsearch").toString());
      long started = System.nanoTime();
      ChildProcess process;
      try {
        if (password != null) {
          addBootstrapPassword(home, instance, user, environment, password);
        }
        process =
            ChildProcess.start(
                "elasticsearch", command, environment, instance, instance.resolve("process.log"));
      } catch (RuntimeException e) {
        FileTrees.deleteQuietly(instance);
        throw e;
      }
      LocalElasticsearch server =
          new LocalElasticsearch(version, httpPort, transportPort, instance, process, password);
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest.Builder health =
            HttpRequest.newBuilder(
                    URI.create(
                        server.httpUrl() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                .timeout(Duration.ofSeconds(10));
        if (password != null) {
          health.header("Authorization", basicAuth(password));
        }
        HttpRequest request = health.build();
        process.awaitReady(
            startTimeout,
            () -> http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
      } catch (RuntimeException e) {
        boolean portTaken =
            !process.isAlive()
                && (process.logContains("address already in use")
                    || process.logContains("BindHttpException")
                    || process.logContains("BindTransportException"));
        process.close();
        FileTrees.deleteQuietly(instance);
        if (portTaken) {
          throw new PortTakenException(e);
        }
        throw e;
      }
      log.info(
          "Elasticsearch {} ready at {} in {} ms (user {}, java {}, heap {}, files in {})",
          version,
          server.httpUrl(),
          (System.nanoTime() - started) / 1_000_000,
          user.name(),
          java,
          heap,
          instance);
      return server;
    }

    private Path createInstanceDirectory(
        Path home, ServerUser user, int httpPort, int transportPort) {
      try {
        Path instances = home.resolveSibling("instances");
        ElasticsearchDistribution.createReadableDirectories(instances);
        Path instance = Files.createTempDirectory(instances, "elasticsearch-");
        Path config = Files.createDirectories(instance.resolve("config"));
        Path source = home.resolve("config");
        try (Stream<Path> paths = Files.walk(source)) {
          for (Path path : (Iterable<Path>) paths::iterator) {
            Path target = config.resolve(source.relativize(path).toString());
            if (Files.isDirectory(path)) {
              Files.createDirectories(target);
            } else if (!path.getFileName().toString().equals("elasticsearch.yml")) {
              Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
        Path data = Files.createDirectories(instance.resolve("data"));
        Path logs = Files.createDirectories(instance.resolve("logs"));
        Files.createDirectories(instance.resolve("tmp"));
        Files.writeString(
            config.resolve("elasticsearch.yml"), yaml(httpPort, transportPort, data, logs));
        if (user.switchesUser()) {
          FileTrees.chown(instance, user.uid(), user.gid());
        }
        return instance;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare an Elasticsearch instance directory", e);
      }
    }

    private String yaml(int httpPort, int transportPort, Path data, Path logs) {
      Map<String, String> all = new LinkedHashMap<>();
      all.put("cluster.name", "kube-observe-devstack");
      all.put("node.name", "devstack-es");
      all.put("discovery.type", "single-node");
      all.put("network.host", "127.0.0.1");
      all.put("http.port", Integer.toString(httpPort));
      all.put("transport.port", Integer.toString(transportPort));
      all.put("path.data", data.toString());
      all.put("path.logs", logs.toString());
      all.put("cluster.routing.allocation.disk.threshold_enabled", "false");
      all.put("xpack.security.enabled", Boolean.toString(password != null));
      if (password != null) {
        all.put("xpack.security.http.ssl.enabled", "false");
        all.put("xpack.security.transport.ssl.enabled", "false");
      }
      all.putAll(settings);
      StringBuilder yaml = new StringBuilder("# Written by kube-observe devstack\n");
      all.forEach(
          (key, value) ->
              yaml.append(key)
                  .append(": \"")
                  .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
                  .append("\"\n"));
      return yaml.toString();
    }

    private Map<String, String> environment(Path instance, Path java) {
      Map<String, String> environment = new LinkedHashMap<>();
      environment.put("ES_JAVA_HOME", java.toString());
      environment.put("ES_PATH_CONF", instance.resolve("config").toString());
      environment.put("ES_TMPDIR", instance.resolve("tmp").toString());
      environment.put("ES_JAVA_OPTS", "-Xms" + heap + " -Xmx" + heap);
      environment.put("CLI_JAVA_OPTS", "-Djava.io.tmpdir=" + instance.resolve("tmp"));
      environment.put("HOME", instance.toString());
      for (String inherited :
          List.of(
              "JAVA_HOME", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS")) {
        environment.put(inherited, null);
      }
      return environment;
    }

    /** Puts the superuser's bootstrap password into the instance's keystore. */
    private static void addBootstrapPassword(
        Path home,
        Path instance,
        ServerUser user,
        Map<String, String> environment,
        String password) {
      List<String> command = new ArrayList<>(user.commandPrefix());
      command.add(home.resolve("bin/elasticsearch-keystore").toString());
      command.addAll(List.of("add", "--force", "--stdin", "bootstrap.password"));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(instance.toFile())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(instance.resolve("process.log").toFile()));
      environment.forEach(
          (key, value) -> {
            if (value == null) {
              builder.environment().remove(key);
            } else {
              builder.environment().put(key, value);
            }
          });
      try {
        Process keystore = builder.start();
        try (OutputStream stdin = keystore.getOutputStream()) {
          stdin.write(password.getBytes(StandardCharsets.UTF_8));
        }
        if (!keystore.waitFor(60, TimeUnit.SECONDS)) {
          keystore.destroyForcibly();
          throw new IllegalStateException("elasticsearch-keystore did not finish within 60 s");
        }
        if (keystore.exitValue() != 0) {
          throw new IllegalStateException(
              "elasticsearch-keystore failed with code "
                  + keystore.exitValue()
                  + "; see "
                  + instance.resolve("process.log"));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run elasticsearch-keystore", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running elasticsearch-keystore", e);
      }
    }
  }

  /** The server exited because a port chosen for it was taken meanwhile. */
  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(Throwable cause) {
      super(cause);
    }
  }
}
