package io.kubeobserve.devstack.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.PodLogs;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pods/log} read from CRI files: options, partial lines, previous, follow across rotation. */
@WithSimulatedApiServer
class PodLogsIT {

  private static final Instant T0 = Instant.parse("2024-11-20T09:30:00.000000001Z");
  private final ExecutorService reader = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopReader() {
    reader.shutdownNow();
  }

  @Test
  void readsJoinedEntriesWithTailTimestampsAndSince(SimulatedApiServer server,
      @TempDir Path directory) throws ApiException {
    CoreV1Api core = new CoreV1Api(Fixtures.client(server, directory));
    String uid = Json.meta(server.store().create(Fixtures.runningPod("reader", "node-1")), "uid");
    Path file = CriLogFiles.path(server.options().logsRoot().orElseThrow(), "default", "reader", uid,
        "oomkilled", 0);
    CriLogFiles.append(file, CriLogFiles.line(T0, "one"),
        T0.plusSeconds(1) + " stderr P two-", T0.plusSeconds(2) + " stderr F parts",
        CriLogFiles.line(T0.plusSeconds(3), "three"), CriLogFiles.line(T0.plusSeconds(4), "four"));

    assertThat(core.readNamespacedPodLog("reader", "default").execute())
        .isEqualTo("one\ntwo-parts\nthree\nfour\n");
    assertThat(core.readNamespacedPodLog("reader", "default").tailLines(2).timestamps(true).execute())
        .isEqualTo(T0.plusSeconds(3) + " three\n" + T0.plusSeconds(4) + " four\n");
    assertThat(core.readNamespacedPodLog("reader", "default").container("oomkilled").limitBytes(6)
        .execute()).isEqualTo("one\ntw");
    assertThat(core.readNamespacedPodLog("reader", "default").sinceSeconds(60).execute())
        .as("every entry is older than a minute").isNullOrEmpty();

    ApiException noPrevious = catchThrowableOfType(ApiException.class,
        () -> core.readNamespacedPodLog("reader", "default").previous(true).execute());
    assertThat(noPrevious.getCode()).isEqualTo(400);
    assertThat(noPrevious.getResponseBody()).contains("previous terminated container");
    ApiException badContainer = catchThrowableOfType(ApiException.class,
        () -> core.readNamespacedPodLog("reader", "default").container("nope").execute());
    assertThat(badContainer.getCode()).isEqualTo(400);
  }

  @Test
  void previousReadsTheLogOfTheRestartBefore(SimulatedApiServer server, @TempDir Path directory)
      throws ApiException {
    CoreV1Api core = new CoreV1Api(Fixtures.client(server, directory));
    ObjectNode pod = Fixtures.pod("restarted");
    String uid = Json.meta(server.store().create(ResourceType.PODS, pod), "uid");
    Path root = server.options().logsRoot().orElseThrow();
    CriLogFiles.append(CriLogFiles.path(root, "default", "restarted", uid, "oomkilled", 8),
        CriLogFiles.line(T0, "before the OOM kill"));
    CriLogFiles.append(CriLogFiles.path(root, "default", "restarted", uid, "oomkilled", 9),
        CriLogFiles.line(T0.plusSeconds(60), "after restart 9"));
    assertThat(core.readNamespacedPodLog("restarted", "default").previous(true).execute())
        .isEqualTo("before the OOM kill\n");
    assertThat(core.readNamespacedPodLog("restarted", "default").execute())
        .isEqualTo("after restart 9\n");
  }

  @Test
  void followStreamsNewLinesAcrossRotation(SimulatedApiServer server, @TempDir Path directory)
      throws Exception {
    ApiClient client = Fixtures.client(server, directory);
    String uid = Json.meta(server.store().create(Fixtures.runningPod("follower", "node-1")), "uid");
    Path file = CriLogFiles.path(server.options().logsRoot().orElseThrow(), "default", "follower",
        uid, "oomkilled", 0);
    CriLogFiles.append(file, CriLogFiles.line(T0, "line 1"));
    List<String> lines = new CopyOnWriteArrayList<>();
    InputStream stream = new PodLogs(client).streamNamespacedPodLog("default", "follower", "oomkilled");
    reader.submit(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
        lines.add("<end>");
      }
      return null;
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("line 1"));
    CriLogFiles.append(file, CriLogFiles.line(T0.plusSeconds(1), "line 2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("line 2"));

    CriLogFiles.append(file, CriLogFiles.line(T0.plusSeconds(2), "line 3 just before rotation"));
    CriLogFiles.rotate(file, T0.plusSeconds(3));
    CriLogFiles.append(file, CriLogFiles.line(T0.plusSeconds(4), "line 4 in the new file"));
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("line 4 in the new file"));
    assertThat(lines).containsExactly("line 1", "line 2", "line 3 just before rotation",
        "line 4 in the new file");

    server.store().delete(ResourceType.PODS, "default", "follower", 0L);
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("<end>"));
  }
}
