package io.kubeobserve.router.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeobserve.core.contract.Attributes;
import io.kubeobserve.core.contract.OtlpCodec;
import io.kubeobserve.core.contract.OtlpValues;
import io.kubeobserve.core.contract.RecordUid;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Recorded Events (fixtures/k8s-objects) into k8s-events records. */
class ClusterEventTest {

  private static final EventRecords RECORDS =
      new EventRecords("prod", Clock.fixed(Instant.parse("2024-12-01T00:00:00Z"), ZoneOffset.UTC));

  private static String fixture(String file) throws IOException {
    try (InputStream in = ClusterEventTest.class.getResourceAsStream("/fixtures/k8s-objects/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void anEvictionEventOfAPod() throws Exception {
    CoreV1Event recorded = new JSON().deserialize(fixture("event_evicted_memory_kubelet_aks.json"), CoreV1Event.class);
    recorded.getMetadata().setUid("e-1");
    ClusterEvent event = ClusterEvent.of(recorded);
    assertThat(event.count()).isEqualTo(1);
    assertThat(event.time()).isEqualTo(Instant.parse("2023-10-12T19:34:45Z"));
    assertThat(event.reportingController()).isEqualTo("kubelet");

    var request = OtlpCodec.decodeLogs(RECORDS.event(event));
    Resource resource = request.getResourceLogs(0).getResource();
    LogRecord record = request.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(OtlpValues.stringAttribute(resource.getAttributesList(), Attributes.K8S_POD_UID))
        .contains("27aff94d-e0d9-43d1-84d6-9ab000aa57e2");
    assertThat(OtlpValues.stringAttribute(resource.getAttributesList(), Attributes.K8S_CLUSTER_NAME)).contains("prod");
    assertThat(OtlpValues.stringAttribute(resource.getAttributesList(), Attributes.K8S_NODE_NAME))
        .as("the node whose kubelet evicted the pod").contains("aks-nodepool1-24207654-vmss000002");
    assertThat(OtlpValues.stringAttribute(record.getAttributesList(), Attributes.LOG_RECORD_UID))
        .contains(RecordUid.kubernetesEvent("e-1", 1));
    assertThat(OtlpValues.stringAttribute(record.getAttributesList(), Attributes.K8S_EVENT_REASON)).contains("Evicted");
    assertThat(OtlpValues.stringAttribute(record.getAttributesList(), Attributes.K8S_OBJECT_KIND)).contains("Pod");
    assertThat(record.getBody().getStringValue()).startsWith("The node was low on resource: memory.");
    assertThat(record.getSeverityText()).isEqualTo("Warning");
  }

  @Test
  void anEventWithOnlyAnEventTime() throws Exception {
    CoreV1EventList list = new JSON().deserialize(fixture("eventlist_failedscheduling_eventTime-only_minikube.json"),
        CoreV1EventList.class);
    ClusterEvent event = ClusterEvent.of(list.getItems().get(0));
    assertThat(event.time()).isEqualTo(Instant.parse("2023-12-24T13:37:16.335172Z"));
    assertThat(event.count()).isEqualTo(1);
    assertThat(event.reportingController()).isEqualTo("default-scheduler");
    assertThat(event.nodeName()).as("a controller's event names no node").isEmpty();
    assertThat(event.recordKey()).isEqualTo("ed7de8ff-61fb-40bb-9ecb-55a801a4cd89");
  }
}
