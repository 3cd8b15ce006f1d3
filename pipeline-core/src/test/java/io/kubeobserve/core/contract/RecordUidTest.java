package io.kubeobserve.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordUidTest {

  /** SHA-256 of {@code 3:log13:2049:131:ab124:4096}, its first 16 bytes in hex (computed outside Java). */
  private static final String KNOWN_ID = "d2de30ebfab34bc7b8ec95fa8feb8129";

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

  @Test
  void aFilesLineIdsAreTheIdsOfTheirLines() {
    long[] offsets = {0, 7, 9, 10, 99, 100, 4096, 999_999_999, 1_000_000_000, 9_999_999_999L, 123_456_789_012_345L,
        Long.MAX_VALUE};
    // short, long (two SHA-256 blocks) and non-ASCII identities
    for (String file : new String[] {"2049:131:ab12", "2049:131:64:" + "f".repeat(80), "ünï:1"}) {
      RecordUid.LogLines ids = new RecordUid.LogLines(file);
      byte[] target = new byte[RecordUid.HEX_LENGTH + 2];
      for (long offset : offsets) {
        ids.write(offset, target, 1);
        assertThat(new String(target, 1, RecordUid.HEX_LENGTH, StandardCharsets.US_ASCII))
            .as("%s at %d", file, offset).isEqualTo(RecordUid.logLine(file, offset));
        assertThat(target[0]).isZero();
        assertThat(target[RecordUid.HEX_LENGTH + 1]).isZero();
      }
    }
    // the value recorded before this writer existed: ids of lines already shipped do not change
    assertThat(RecordUid.logLine("2049:131:ab12", 4096)).isEqualTo(KNOWN_ID);
    assertThatThrownBy(() -> new RecordUid.LogLines("1:2").write(-1, new byte[32], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
