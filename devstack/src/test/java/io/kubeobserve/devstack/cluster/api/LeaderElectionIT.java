package io.kubeobserve.devstack.cluster.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client-java-extended's LeaderElector with a coordination.k8s.io/v1 Lease hands over leadership. */
@WithSimulatedApiServer
class LeaderElectionIT {

  private final ExecutorService candidates = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    candidates.shutdownNow();
  }

  @Test
  void leaseHandsOverWhenTheLeaderStops(SimulatedApiServer server, @TempDir Path directory) {
    ApiClient client = Fixtures.client(server, directory);
    AtomicBoolean aLeads = new AtomicBoolean();
    AtomicBoolean bLeads = new AtomicBoolean();
    LeaderElector a = elector(client, "candidate-a");
    LeaderElector b = elector(client, "candidate-b");
    candidates.submit(() -> a.run(() -> aLeads.set(true), () -> aLeads.set(false)));
    await().atMost(Duration.ofSeconds(10)).untilTrue(aLeads);
    candidates.submit(() -> b.run(() -> bLeads.set(true), () -> bLeads.set(false)));
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> aLeads.get() && !bLeads.get());

    a.close();
    await().atMost(Duration.ofSeconds(15)).untilTrue(bLeads);
    ObjectNode lease = server.store().get(ResourceType.LEASES, "default", "kube-observe-leader");
    assertThat(lease.path("spec").path("holderIdentity").asText()).isEqualTo("candidate-b");
    assertThat(lease.path("spec").path("leaseTransitions").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(lease.path("apiVersion").asText()).isEqualTo("coordination.k8s.io/v1");
    b.close();
  }

  private static LeaderElector elector(ApiClient client, String identity) {
    return new LeaderElector(new LeaderElectionConfig(
        new LeaseLock("default", "kube-observe-leader", identity, client),
        Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(200)));
  }
}
