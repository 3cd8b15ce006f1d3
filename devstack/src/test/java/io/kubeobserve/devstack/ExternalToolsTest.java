package io.kubeobserve.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class ExternalToolsTest {

  @TempDir Path directory;

  @Test
  void aMissingToolSkipsTheTestByDefault() {
    assertThatThrownBy(() -> ExternalTools.require("prometheus", Optional.empty(), false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage(
            "prometheus not found on PATH: install the Debian package prometheus; skipping");
  }

  @Test
  void aMissingToolFailsTheTestWhenExternalToolsAreRequired() {
    assertThatThrownBy(() -> ExternalTools.require("alertmanager", Optional.empty(), true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "alertmanager not found on PATH: install the Debian package prometheus-alertmanager")
        .hasMessageContaining("kube-observe.requireExternal=true");
  }

  @Test
  void aPresentToolIsReturnedWhateverThePolicy() {
    Path tool = Path.of("/usr/bin/promtool");
    assertThat(ExternalTools.require("promtool", Optional.of(tool), false)).isEqualTo(tool);
    assertThat(ExternalTools.require("promtool", Optional.of(tool), true)).isEqualTo(tool);
  }

  @Test
  void requireReadsThePolicyFromTheSystemProperty() {
    String tool = "kube-observe-no-such-tool";
    String before = System.getProperty(ExternalTools.REQUIRE_EXTERNAL_PROPERTY);
    try {
      System.setProperty(ExternalTools.REQUIRE_EXTERNAL_PROPERTY, "true");
      assertThat(ExternalTools.externalRequired()).isTrue();
      assertThatThrownBy(() -> ExternalTools.require(tool))
          .isInstanceOf(IllegalStateException.class);
      System.setProperty(ExternalTools.REQUIRE_EXTERNAL_PROPERTY, "false");
      assertThat(ExternalTools.externalRequired()).isFalse();
      assertThatThrownBy(() -> ExternalTools.require(tool))
          .isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("install the Debian package " + tool);
    } finally {
      if (before == null) {
        System.clearProperty(ExternalTools.REQUIRE_EXTERNAL_PROPERTY);
      } else {
        System.setProperty(ExternalTools.REQUIRE_EXTERNAL_PROPERTY, before);
      }
    }
  }

  @Test
  void findsExecutablesOnThePathBeforeTheKnownDirectories() throws IOException {
    Path prometheus = executable("prometheus");
    assertThat(ExternalTools.find("prometheus", null, directory.toString()))
        .contains(prometheus.toAbsolutePath());
  }

  @Test
  void findsAlertmanagerUnderItsDebianName() throws IOException {
    Path debianName = executable("prometheus-alertmanager");
    String path = directory + File.pathSeparator + "/nonexistent";
    assertThat(ExternalTools.find("alertmanager", null, path))
        .hasValueSatisfying(
            found ->
                assertThat(found.getFileName().toString())
                    .isIn("alertmanager", "prometheus-alertmanager"));
    assertThat(ExternalTools.find("prometheus-alertmanager", null, path))
        .contains(debianName.toAbsolutePath());
  }

  @Test
  void ignoresFilesThatAreNotExecutable() throws IOException {
    Files.writeString(directory.resolve("kube-observe-tool"), "not a program");
    assertThat(ExternalTools.find("kube-observe-tool", null, directory.toString())).isEmpty();
  }

  @Test
  void anExplicitPathWinsAndMustBeExecutable() throws IOException {
    Path custom = executable("my-prometheus");
    assertThat(ExternalTools.find("prometheus", custom.toString(), ""))
        .contains(custom.toAbsolutePath());
    assertThat(ExternalTools.find("prometheus", directory.resolve("absent").toString(), "/usr/bin"))
        .isEmpty();
  }

  private Path executable(String name) throws IOException {
    Path file = directory.resolve(name);
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
