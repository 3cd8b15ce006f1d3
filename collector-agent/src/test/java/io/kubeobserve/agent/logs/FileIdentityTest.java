package io.kubeobserve.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIdentityTest {

  @TempDir Path directory;

  @Test
  void aRenamedFileKeepsItsIdentityAndOtherFirstBytesAreAnotherFile() throws Exception {
    Path file = directory.resolve("0.log");
    Files.writeString(file, "2024-05-01T10:00:00.000000000Z stdout F the first line of the first file\n");
    long[] id = FileIdentity.deviceAndInode(file);
    FileIdentity identity;
    try (FileChannel channel = FileChannel.open(file)) {
      identity = FileIdentity.of(id[0], id[1], channel);
    }
    Path renamed = directory.resolve("0.log.20240501-100000");
    Files.move(file, renamed);
    assertThat(FileIdentity.deviceAndInode(renamed)).containsExactly(id[0], id[1]);
    try (FileChannel channel = FileChannel.open(renamed, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
      assertThat(identity.sameContent(channel)).isTrue();
      channel.truncate(0);
      channel.write(java.nio.ByteBuffer.wrap(
          "2024-05-02T08:00:00.000000000Z stdout F another file, same inode\n".getBytes()), 0);
      assertThat(identity.sameContent(channel)).as("same inode, other first bytes").isFalse();
    }
  }

  @Test
  void anEmptyFileHasNoIdentityYetAndAShortOneIsFingerprintedOnWhatItHas() throws Exception {
    Path file = directory.resolve("1.log");
    Files.createFile(file);
    long[] id = FileIdentity.deviceAndInode(file);
    try (FileChannel channel = FileChannel.open(file)) {
      assertThat(FileIdentity.of(id[0], id[1], channel)).isNull();
    }
    Files.writeString(file, "short\n");
    FileIdentity identity;
    try (FileChannel channel = FileChannel.open(file)) {
      identity = FileIdentity.of(id[0], id[1], channel);
    }
    assertThat(identity.fingerprintLength()).isEqualTo(6);
    Files.writeString(file, "more lines come later\n", StandardOpenOption.APPEND);
    try (FileChannel channel = FileChannel.open(file)) {
      assertThat(identity.sameContent(channel)).as("grown, same start").isTrue();
    }
  }

  @Test
  void aGrowingFileKeepsItsIdentityWhenFirstSeenShort() throws Exception {
    Path file = directory.resolve("2.log");
    String first = "2024-05-01T10:00:00.000000000Z stdout F hi\n";
    Files.writeString(file, first.substring(0, 20));
    long[] id = FileIdentity.deviceAndInode(file);
    try (FileChannel channel = FileChannel.open(file)) {
      assertThat(FileIdentity.of(id[0], id[1], channel)).as("20 bytes, no whole first line yet").isNull();
    }
    Files.writeString(file, first.substring(20), StandardOpenOption.APPEND);
    FileIdentity whenShort;
    try (FileChannel channel = FileChannel.open(file)) {
      whenShort = FileIdentity.of(id[0], id[1], channel);
    }
    Files.writeString(file, "2024-05-01T10:00:01.000000000Z stdout F a longer second line, past 64 bytes\n",
        StandardOpenOption.APPEND);
    try (FileChannel channel = FileChannel.open(file)) {
      assertThat(FileIdentity.of(id[0], id[1], channel)).isEqualTo(whenShort);
    }
    assertThat(whenShort.fingerprintLength()).isEqualTo(first.length());
  }

  @Test
  void aLongFirstLineIsFingerprintedOnItsFirst64Bytes() throws Exception {
    Path file = directory.resolve("3.log");
    Files.writeString(file, "2024-05-01T10:00:00.000000000Z stdout P " + "x".repeat(30));
    long[] id = FileIdentity.deviceAndInode(file);
    FileIdentity identity;
    try (FileChannel channel = FileChannel.open(file)) {
      identity = FileIdentity.of(id[0], id[1], channel);
    }
    Files.writeString(file, "x".repeat(100) + "\n", StandardOpenOption.APPEND);
    try (FileChannel channel = FileChannel.open(file)) {
      assertThat(FileIdentity.of(id[0], id[1], channel)).isEqualTo(identity);
    }
    assertThat(identity.fingerprintLength()).isEqualTo(FileIdentity.FINGERPRINT_BYTES);
  }

  @Test
  void checkpointsSurviveAReloadAndAnUnreadableOneIsSetAside() throws Exception {
    Path file = directory.resolve("0.log");
    Files.writeString(file, "2024-05-01T10:00:00.000000000Z stdout F the first line\n");
    long[] id = FileIdentity.deviceAndInode(file);
    FileIdentity identity;
    try (FileChannel channel = FileChannel.open(file)) {
      identity = FileIdentity.of(id[0], id[1], channel);
    }
    Path state = directory.resolve("state");
    CheckpointStore store = CheckpointStore.load(state);
    assertThat(store.existed()).isFalse();
    store.write(List.of(new CheckpointStore.Checkpoint(identity, 4096, file.toString())));

    CheckpointStore reloaded = CheckpointStore.load(state);
    assertThat(reloaded.existed()).isTrue();
    try (FileChannel channel = FileChannel.open(file)) {
      assertThat(reloaded.find(id[0], id[1], channel))
          .contains(new CheckpointStore.Checkpoint(identity, 4096, file.toString()));
    }
    assertThat(reloaded.in(directory)).hasSize(1);

    Files.writeString(state.resolve(CheckpointStore.FILE), "{not json");
    CheckpointStore broken = CheckpointStore.load(state);
    assertThat(broken.existed()).as("a restart: startAt does not apply").isTrue();
    try (FileChannel channel = FileChannel.open(file)) {
      assertThat(broken.find(id[0], id[1], channel)).isEmpty();
    }
    assertThat(state.resolve(CheckpointStore.FILE + ".unreadable")).exists();
  }

  @Test
  void aCheckpointIsFoundOnlyForTheContentItWasTakenOf() throws Exception {
    Path file = directory.resolve("0.log");
    Files.writeString(file, "2024-05-01T10:00:00.000000000Z stdout F before the truncation\n");
    long[] id = FileIdentity.deviceAndInode(file);
    FileIdentity before;
    try (FileChannel channel = FileChannel.open(file)) {
      before = FileIdentity.of(id[0], id[1], channel);
    }
    Files.writeString(file, "2024-05-01T10:05:00.000000000Z stdout F after the truncation\n");
    FileIdentity after;
    try (FileChannel channel = FileChannel.open(file)) {
      after = FileIdentity.of(id[0], id[1], channel);
    }
    CheckpointStore.load(directory).write(List.of(new CheckpointStore.Checkpoint(before, 62, file + ".1"),
        new CheckpointStore.Checkpoint(after, 10, file.toString())));
    try (FileChannel channel = FileChannel.open(file)) {
      assertThat(CheckpointStore.load(directory).find(id[0], id[1], channel).map(CheckpointStore.Checkpoint::offset))
          .contains(10L);
    }
  }
}
