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
  void checkpointsSurviveAReloadAndAnUnreadableOneIsSetAside() throws Exception {
    FileIdentity identity = new FileIdentity(2049, 131, 64, 0xfedcba9876543210L);
    CheckpointStore store = CheckpointStore.load(directory);
    assertThat(store.existed()).isFalse();
    store.write(List.of(new CheckpointStore.Checkpoint(identity, 4096, "/var/log/pods/a_b_c/d/0.log")));

    CheckpointStore reloaded = CheckpointStore.load(directory);
    assertThat(reloaded.existed()).isTrue();
    assertThat(reloaded.find(2049, 131)).contains(new CheckpointStore.Checkpoint(identity, 4096,
        "/var/log/pods/a_b_c/d/0.log"));

    Files.writeString(directory.resolve(CheckpointStore.FILE), "{not json");
    CheckpointStore broken = CheckpointStore.load(directory);
    assertThat(broken.existed()).as("a restart: startAt does not apply").isTrue();
    assertThat(broken.find(2049, 131)).isEmpty();
    assertThat(directory.resolve(CheckpointStore.FILE + ".unreadable")).exists();
  }
}
