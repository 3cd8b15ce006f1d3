package io.kubeobserve.agent.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmittedOccurrencesTest {

  @TempDir Path directory;

  @Test
  void emittedKeysSurviveAReloadAndPodsThatAreGoneAreForgotten() throws Exception {
    EmittedOccurrences store = EmittedOccurrences.load(directory);
    store.add("pod-a", List.of("a1", "a2"));
    store.add("pod-b", List.of("b1"));

    EmittedOccurrences reloaded = EmittedOccurrences.load(directory);
    assertThat(reloaded.containsAny(List.of("x", "a2"))).isTrue();
    assertThat(reloaded.containsAny(List.of("b1"))).isTrue();
    assertThat(reloaded.size()).isEqualTo(3);
    assertThat(Files.list(directory)).extracting(p -> p.getFileName().toString())
        .containsExactly(EmittedOccurrences.FILE); // the temporary file was renamed over it

    reloaded.retainPods(Set.of("pod-b"));
    assertThat(EmittedOccurrences.load(directory).containsAny(List.of("a1", "a2"))).isFalse();
    assertThat(EmittedOccurrences.load(directory).containsAny(List.of("b1"))).isTrue();
  }

  @Test
  void anUnreadableCheckpointIsSetAsideAndTheStoreStartsEmpty() throws Exception {
    Files.writeString(directory.resolve(EmittedOccurrences.FILE), "{\"version\":1,\"emitted\":{\"a\":");

    EmittedOccurrences store = EmittedOccurrences.load(directory);

    assertThat(store.size()).isZero();
    assertThat(directory.resolve(EmittedOccurrences.FILE + ".unreadable")).exists();
  }
}
