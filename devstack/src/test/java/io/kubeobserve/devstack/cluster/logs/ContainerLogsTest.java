package io.kubeobserve.devstack.cluster.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeobserve.devstack.cluster.ScenarioClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogsTest {

  private static final ContainerLogRef WEB = new ContainerLogRef("shop", "web-5f7c9d8b6-k2x9q",
      "0b7c4f1e-2f6a-4d39-9a51-6f0d7a1c9e21", "web");
  private static final ContainerLogRef API = new ContainerLogRef("payments", "api-7d4b9c-x2x7k",
      "5d1e0c77-8a0b-4c55-b3a8-0e6f3f2d9b10", "api");

  @TempDir
  Path root;

  @Test
  void linesArriveInOrderWithContiguousSequencesAcrossRenameRotations() {
    assertContiguousAcrossRotation(RotationPolicy.Mode.RENAME);
  }

  @Test
  void linesArriveInOrderWithContiguousSequencesAcrossCopyTruncate() {
    assertContiguousAcrossRotation(RotationPolicy.Mode.COPYTRUNCATE);
  }

  private void assertContiguousAcrossRotation(RotationPolicy.Mode mode) {
    try (ContainerLogs logs = ContainerLogs.builder(root).clock(ScenarioClock.startingNow(20)).linesPerSecond(50)
        .rotation(new RotationPolicy(8 * 1024, 1000, mode)).maxLineBytes(1024).longLineEvery(40).build().start()) {
      logs.add(WEB, 0);
      logs.add(API, 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> logs.rotatedFiles(WEB).size() >= 3 && logs.lastSequence(API) > 500);
      logs.stop(WEB);
      logs.stop(API);
      for (ContainerLogRef container : List.of(WEB, API)) {
        List<Path> files = new ArrayList<>(logs.rotatedFiles(container));
        files.add(logs.currentFile(container));
        List<String> entries = entries(files);
        assertThat(entries).hasSize((int) logs.lastSequence(container));
        for (int i = 0; i < entries.size(); i++) {
          LogLineMarker.Marker marker = LogLineMarker.find(entries.get(i)).orElseThrow();
          assertThat(marker).isEqualTo(new LogLineMarker.Marker(container.key(), i + 1));
        }
      }
      assertThat(logs.currentFile(WEB)).isEqualTo(WEB.directory(root).resolve("0.log"));
      assertThat(logs.rotatedFiles(WEB)).allMatch(p -> p.getFileName().toString().matches("0\\.log\\.\\d{8}-\\d{6}"));
    }
  }

  @Test
  void partialPiecesJoinToTheLongEntryAndStackTracesAreConsecutive() throws IOException {
    try (ContainerLogs logs = ContainerLogs.builder(root).linesPerSecond(0).rotation(RotationPolicy.none())
        .maxLineBytes(100).build()) {
      logs.add(WEB, 0);
      String longEntry = "x".repeat(250) + " end-of-entry";
      long first = logs.writeLine(WEB, LogStream.STDOUT, longEntry);
      long last = logs.writeStackTrace(WEB);
      List<String> raw = Files.readAllLines(logs.currentFile(WEB), StandardCharsets.UTF_8);

      List<CriFormat.CriLine> pieces = new ArrayList<>();
      for (String line : raw) {
        pieces.add(CriFormat.parse(line));
        if (!pieces.get(pieces.size() - 1).partial()) {
          break;
        }
      }
      assertThat(pieces).hasSizeGreaterThan(2);
      assertThat(pieces.subList(0, pieces.size() - 1)).allMatch(CriFormat.CriLine::partial);
      assertThat(pieces).allMatch(piece -> piece.content().getBytes(StandardCharsets.UTF_8).length <= 100);
      String joined = String.join("", pieces.stream().map(CriFormat.CriLine::content).toList());
      assertThat(joined).isEqualTo(longEntry + " " + LogLineMarker.format(WEB.key(), first));

      List<String> trace = entries(List.of(logs.currentFile(WEB))).subList(1, (int) last);
      assertThat(trace).hasSize((int) (last - first));
      for (int i = 0; i < trace.size(); i++) {
        assertThat(LogLineMarker.find(trace.get(i)).orElseThrow().sequence()).isEqualTo(first + 1 + i);
      }
      assertThat(raw.subList(pieces.size(), raw.size())).allMatch(line -> CriFormat.parse(line).stream().equals("stderr"));
      assertThat(logs.lastLines(WEB, 1)).containsExactly(trace.get(trace.size() - 1));
    }
  }

  @Test
  void rotatedFilesBeyondTheLimitAreDeletedAndARestartStartsANewFile() {
    try (ContainerLogs logs = ContainerLogs.builder(root).clock(ScenarioClock.startingNow(50)).linesPerSecond(100)
        .rotation(new RotationPolicy(2 * 1024, 2, RotationPolicy.Mode.RENAME)).build().start()) {
      logs.add(WEB, 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> logs.lastSequence(WEB) > 300);
      assertThat(logs.rotatedFiles(WEB)).hasSize(2);

      logs.stop(WEB);
      long before = logs.writeLine(WEB, LogStream.STDERR, "fatal: out of memory");
      assertThat(logs.lastLines(WEB, 1)).containsExactly("fatal: out of memory " + LogLineMarker.format(WEB.key(), before));
      logs.restart(WEB, 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> logs.lastSequence(WEB) > before + 10);
      assertThat(logs.currentFile(WEB)).isEqualTo(WEB.directory(root).resolve("1.log"));
      assertThat(LogLineMarker.find(logs.lastLines(WEB, 1).get(0)).orElseThrow().sequence()).isGreaterThan(before);
    }
  }

  /** The entries (content of F lines, P pieces joined) of files read in order. */
  private static List<String> entries(List<Path> files) {
    List<String> entries = new ArrayList<>();
    StringBuilder partial = new StringBuilder();
    for (Path file : files) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          CriFormat.CriLine cri = CriFormat.parse(line);
          partial.append(cri.content());
          if (!cri.partial()) {
            entries.add(partial.toString());
            partial.setLength(0);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return entries;
  }
}
