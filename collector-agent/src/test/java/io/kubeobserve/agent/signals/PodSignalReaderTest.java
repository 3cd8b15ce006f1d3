package io.kubeobserve.agent.signals;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.EventNames;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateRunning;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Signals read from recorded pods (see {@code fixtures/SOURCES.md}). */
class PodSignalReaderTest {

  private static final Instant NOW = Instant.parse("2024-11-20T09:30:00Z");
  private final ContainerMemory memory = new ContainerMemory(Duration.ofMinutes(10));
  private final PodSignalReader reader = new PodSignalReader(Set.of("CrashLoopBackOff", "ImagePullBackOff"), false,
      memory, Clock.fixed(NOW, ZoneOffset.UTC));

  static V1Pod pod(String fixture) throws IOException {
    try (InputStream in = PodSignalReaderTest.class.getClassLoader().getResourceAsStream("fixtures/k8s-objects/" + fixture)) {
      return JSON.deserialize(in, V1Pod.class);
    }
  }

  private static String attribute(PodSignal signal, String key) {
    return OtlpValues.attribute(signal.attributes(), key).map(v -> v.hasIntValue() ? Long.toString(v.getIntValue())
        : v.getStringValue()).orElse(null);
  }

  @Test
  void anOomKillInLastStateIsOneTerminationCountedByRestartAndKnownByItsContainerId() throws Exception {
    V1Pod pod = pod("pod_oomkilled-lastState_crashloop-restarts9_gke-containerd.json");

    List<PodSignal> signals = reader.read(pod);

    PodSignal terminated = signals.stream().filter(s -> s.eventName().equals(EventNames.CONTAINER_TERMINATED))
        .findFirst().orElseThrow();
    String uid = pod.getMetadata().getUid();
    assertThat(terminated.occurrenceId()).isEqualTo(RecordUid.occurrence(EventNames.CONTAINER_TERMINATED, uid,
        "oomkilled", "9"));
    assertThat(terminated.aliases()).hasSize(1);
    assertThat(terminated.restartCount()).isEqualTo(9);
    assertThat(terminated.logInstance()).contains(8);
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_REASON)).isEqualTo("OOMKilled");
    // the recording (edited upstream) says exit code 1, not the kernel's 137: no signal is derived from it
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_EXIT_CODE)).isEqualTo("1");
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_SIGNAL)).isNull();
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_MESSAGE)).isEqualTo("system has run out of memory");
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_STARTED_AT)).isEqualTo("2024-11-20T07:18:53Z");
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_FINISHED_AT)).isEqualTo("2024-11-20T07:30:00Z");
    assertThat(terminated.time()).isEqualTo(Instant.parse("2024-11-20T07:30:00Z"));
    assertThat(terminated.body()).isEqualTo("Container oomkilled of pod " + pod.getMetadata().getNamespace() + "/"
        + pod.getMetadata().getName() + " terminated: OOMKilled (exit code 1)");
    // reading the same status again gives the same occurrence: the reader is pure
    assertThat(reader.read(pod)).isEqualTo(signals);
  }

  @Test
  void anOomKillCarriesTheLimitAndRequestOfItsSpecAndTheWorkingSetsOfTheInstanceBeforeItEnded() throws Exception {
    V1Pod pod = pod("pod_oomkilled-lastState_crashloop-restarts9_gke-containerd.json");
    String uid = pod.getMetadata().getUid();
    // the instance ran 07:18:53 – 07:30:00; samples of the instance before it and of the next one are not its own
    memory.record(uid, "oomkilled", Instant.parse("2024-11-20T07:18:00Z"), 209_000_000);
    memory.record(uid, "oomkilled", Instant.parse("2024-11-20T07:25:00Z"), 150_000_000);
    memory.record(uid, "oomkilled", Instant.parse("2024-11-20T07:28:30Z"), 208_000_000);
    memory.record(uid, "oomkilled", Instant.parse("2024-11-20T07:29:45Z"), 205_000_000);
    memory.record(uid, "oomkilled", Instant.parse("2024-11-20T07:30:20Z"), 20_000_000);

    PodSignal terminated = reader.read(pod).stream()
        .filter(s -> s.eventName().equals(EventNames.CONTAINER_TERMINATED)).findFirst().orElseThrow();

    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_MEMORY_LIMIT)).isEqualTo(Long.toString(200L << 20));
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_MEMORY_REQUEST)).isEqualTo(Long.toString(100L << 20));
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET)).isEqualTo("205000000");
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET_TIME))
        .isEqualTo("2024-11-20T07:29:45Z");
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET_PEAK)).isEqualTo("208000000");
  }

  @Test
  void withoutScrapedWorkingSetsATerminationCarriesOnlyWhatItsSpecSays() throws Exception {
    V1Pod job = JSON.<V1PodList>deserialize(new String(PodSignalReaderTest.class.getClassLoader()
        .getResourceAsStream("fixtures/k8s-objects/podlist_oomkilled-state-terminated_job_minikube-docker.json")
        .readAllBytes()), V1PodList.class).getItems().get(0);

    PodSignal terminated = reader.read(job).get(0);

    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_MEMORY_LIMIT)).isEqualTo(Long.toString(100L << 20));
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET)).isNull();
    assertThat(attribute(terminated, Attributes.K8S_CONTAINER_TERMINATION_WORKING_SET_PEAK)).isNull();
  }

  @Test
  void theSameDeathSeenInStateAndThenInLastStateIsRecognisedByItsContainerId() throws Exception {
    V1Pod job = JSON.<V1PodList>deserialize(new String(PodSignalReaderTest.class.getClassLoader()
        .getResourceAsStream("fixtures/k8s-objects/podlist_oomkilled-state-terminated_job_minikube-docker.json")
        .readAllBytes()), V1PodList.class).getItems().get(0);
    PodSignal inState = reader.read(job).get(0);
    assertThat(inState.eventName()).isEqualTo(EventNames.CONTAINER_TERMINATED);
    assertThat(attribute(inState, Attributes.K8S_CONTAINER_TERMINATION_EXIT_CODE)).isEqualTo("137");
    assertThat(attribute(inState, Attributes.K8S_CONTAINER_TERMINATION_SIGNAL)).isEqualTo("9");
    assertThat(inState.logInstance()).contains(0);
    assertThat(attribute(inState, Attributes.K8S_CONTAINER_TERMINATION_REASON)).isEqualTo("OOMKilled");

    // the kubelet restarts it: the death moves to lastState and the restart count grows
    var status = job.getStatus().getContainerStatuses().get(0);
    status.setLastState(status.getState());
    status.setState(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("CrashLoopBackOff")
        .message("back-off 10s restarting failed container")));
    status.setRestartCount(1);
    List<PodSignal> after = reader.read(job);

    PodSignal inLastState = after.stream().filter(s -> s.eventName().equals(EventNames.CONTAINER_TERMINATED))
        .findFirst().orElseThrow();
    assertThat(inLastState.occurrenceId()).isNotEqualTo(inState.occurrenceId());
    assertThat(inLastState.aliases()).isEqualTo(inState.aliases()); // one container id: one occurrence
    PodSignal waiting = after.stream().filter(s -> s.eventName().equals(EventNames.CONTAINER_WAITING))
        .findFirst().orElseThrow();
    assertThat(waiting.occurrenceId()).isEqualTo(RecordUid.occurrence(EventNames.CONTAINER_WAITING,
        job.getMetadata().getUid(), "memory-eater", "CrashLoopBackOff", "1"));
    assertThat(attribute(waiting, Attributes.K8S_CONTAINER_WAITING_REASON)).isEqualTo("CrashLoopBackOff");
  }

  @Test
  void anEvictedPodIsOneEvictionNamingItsResourceAndNotItsContainersTerminations() throws Exception {
    V1Pod pod = pod("pod_evicted_memory_containerstatusunknown_aks.json");

    List<PodSignal> signals = reader.read(pod);

    assertThat(signals).singleElement().satisfies(signal -> {
      assertThat(signal.eventName()).isEqualTo(EventNames.POD_EVICTED);
      assertThat(signal.occurrenceId()).isEqualTo(RecordUid.occurrence(EventNames.POD_EVICTED,
          "27aff94d-e0d9-43d1-84d6-9ab000aa57e2"));
      assertThat(attribute(signal, Attributes.K8S_POD_EVICTION_RESOURCE)).isEqualTo("memory");
      assertThat(attribute(signal, Attributes.K8S_POD_EVICTION_MESSAGE))
          .startsWith("The node was low on resource: memory. Threshold quantity: 750Mi");
    });
    V1Pod gke = pod("pod_evicted_memory_status-reason_gke.json");
    gke.getMetadata().setUid("6f1c3a52-0d5e-4c47-9d0e-2b7b8f1c9a10");
    assertThat(reader.read(gke)).extracting(PodSignal::eventName).containsExactly(EventNames.POD_EVICTED);
  }

  @Test
  void waitingReasonsOutsideTheListAndSuccessfulExitsAreNotSignals() throws Exception {
    V1Pod pod = pod("pod_oomkilled-lastState_crashloop-restarts9_gke-containerd.json");
    var status = pod.getStatus().getContainerStatuses().get(0);
    status.setLastState(new V1ContainerState());
    status.setState(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("ContainerCreating")));
    assertThat(reader.read(pod)).isEmpty();

    status.setState(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("ImagePullBackOff")
        .message("Back-off pulling image \"nginx:nope\"")));
    assertThat(reader.read(pod)).extracting(PodSignal::eventName).containsExactly(EventNames.CONTAINER_WAITING);

    status.setState(new V1ContainerState().running(new V1ContainerStateRunning()));
    status.setLastState(new V1ContainerState().terminated(
        new io.kubernetes.client.openapi.models.V1ContainerStateTerminated().exitCode(0).reason("Completed")));
    assertThat(reader.read(pod)).isEmpty();
    assertThat(new PodSignalReader(Set.of(), true, memory, Clock.systemUTC()).read(pod)).extracting(PodSignal::eventName)
        .containsExactly(EventNames.CONTAINER_TERMINATED);
  }

  @Test
  void theRecordCarriesThePodsAttributesAndTheLastLogLines() throws Exception {
    V1Pod pod = pod("pod_oomkilled-lastState_crashloop-restarts9_gke-containerd.json");
    PodSignal signal = reader.read(pod).get(0);

    var request = SignalRecords.of(pod, signal, List.of("allocating 64Mi", "allocating 128Mi"),
        List.of("expected-status", "not-on-this-pod"), "lab", "node-a", NOW);

    var resource = request.getResourceLogs(0).getResource().getAttributesList();
    assertThat(OtlpValues.stringAttribute(resource, Attributes.K8S_POD_UID)).contains(pod.getMetadata().getUid());
    assertThat(OtlpValues.stringAttribute(resource, Attributes.K8S_CONTAINER_NAME)).contains("oomkilled");
    assertThat(OtlpValues.stringAttribute(resource, Attributes.K8S_CLUSTER_NAME)).contains("lab");
    assertThat(OtlpValues.stringAttribute(resource, Attributes.K8S_NODE_NAME)).contains("node-a");
    assertThat(OtlpValues.stringAttribute(resource, Attributes.K8S_POD_ANNOTATION_PREFIX + "expected-status"))
        .contains("OOMKilled");
    assertThat(resource).extracting(KeyValue::getKey).filteredOn(key -> key.startsWith("k8s.pod.annotation."))
        .as("only the listed annotations the pod has").containsExactly("k8s.pod.annotation.expected-status");
    var record = request.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    List<KeyValue> attributes = record.getAttributesList();
    assertThat(OtlpValues.stringAttribute(attributes, Attributes.EVENT_NAME)).contains(EventNames.CONTAINER_TERMINATED);
    assertThat(OtlpValues.stringAttribute(attributes, Attributes.LOG_RECORD_UID)).contains(signal.occurrenceId());
    assertThat(OtlpValues.stringAttribute(attributes, Attributes.K8S_OBJECT_KIND)).contains("Pod");
    assertThat(OtlpValues.attribute(attributes, Attributes.K8S_CONTAINER_TERMINATION_LAST_LOG_LINES).orElseThrow()
        .getArrayValue().getValuesList()).extracting(v -> v.getStringValue())
        .containsExactly("allocating 64Mi", "allocating 128Mi");
  }
}
