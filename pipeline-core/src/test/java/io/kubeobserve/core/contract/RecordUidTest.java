package io.kubeobserve.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordUidTest {

  @Test
  void theSameOccurrenceAlwaysGetsTheSameId() {
    assertThat(RecordUid.logLine("2049:131:ab12", 4096)).isEqualTo(RecordUid.logLine("2049:131:ab12", 4096))
        .matches("[0-9a-f]{32}");
    assertThat(RecordUid.kubernetesEvent("e-uid", 3)).isEqualTo(RecordUid.kubernetesEvent("e-uid", 3));
  }

  @Test
  void differentOccurrencesGetDifferentIds() {
    assertThat(RecordUid.logLine("2049:131:ab12", 4096)).isNotEqualTo(RecordUid.logLine("2049:131:ab12", 4097));
    assertThat(RecordUid.kubernetesEvent("e-uid", 3)).isNotEqualTo(RecordUid.kubernetesEvent("e-uid", 4));
    // parts are length-prefixed: moving a boundary changes the id
    assertThat(RecordUid.occurrence(EventNames.CONTAINER_TERMINATED, "pod-1", "23"))
        .isNotEqualTo(RecordUid.occurrence(EventNames.CONTAINER_TERMINATED, "pod-12", "3"));
    assertThat(RecordUid.occurrence(EventNames.POD_EVICTED, "pod-1"))
        .isNotEqualTo(RecordUid.occurrence(EventNames.CONTAINER_TERMINATED, "pod-1"));
  }
}
