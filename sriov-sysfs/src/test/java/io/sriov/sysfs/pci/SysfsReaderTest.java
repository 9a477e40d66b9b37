package io.sriov.sysfs.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.os.Libc;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both readers answer the same way: values, absent entries, links, listings, errors. */
class SysfsReaderTest {
  @TempDir Path dir;

  static Stream<Supplier<SysfsReader>> readers() {
    return Stream.of(() -> new NativeSysfsReader(Libc.get()), NioSysfsReader::new);
  }

  @BeforeEach
  void tree() throws IOException {
    Path dev = Files.createDirectories(dir.resolve("devices/0000:3b:00.0"));
    Files.writeString(dev.resolve("numa_node"), "1\n");
    Files.writeString(dev.resolve("label"), " Onboard LAN \n \n");
    Files.createDirectories(dev.resolve("net/ens1f0"));
    Files.writeString(dev.resolve("net/ens1f0/mtu"), "9000\n");
    Files.createDirectories(dir.resolve("groups/12"));
    Files.createSymbolicLink(dev.resolve("iommu_group"), Path.of("../../groups/12"));
    Files.createDirectories(dir.resolve("bus"));
    Files.createSymbolicLink(dir.resolve("bus/0000:3b:00.0"), Path.of("../devices/0000:3b:00.0"));
    Files.createSymbolicLink(dir.resolve("bus/dangling"), Path.of("../devices/gone"));
  }

  @Test
  void nativeReaderIsAvailableOnThisMachine() {
    assertThat(Libc.unavailableReason()).isEmpty();
    assertThat(SysfsReader.create()).isInstanceOf(NativeSysfsReader.class);
  }

  @ParameterizedTest
  @MethodSource("readers")
  void readsValuesThroughLinksWithTrailingBlanksRemoved(Supplier<SysfsReader> readers)
      throws IOException {
    try (SysfsDir d = readers.get().open(dir.resolve("bus/0000:3b:00.0"))) {
      assertThat(d.read("numa_node")).isEqualTo("1");
      assertThat(d.read("label")).isEqualTo(" Onboard LAN");
      assertThat(d.read("net/ens1f0/mtu")).isEqualTo("9000");
      assertThat(d.read("iommu_group/../12/../../devices/0000:3b:00.0/numa_node")).isEqualTo("1");
      assertThat(d.readLink("iommu_group")).isEqualTo(Path.of("../../groups/12"));
      assertThat(d.list()).containsExactlyInAnyOrder("numa_node", "label", "net", "iommu_group");
      assertThat(d.list()).hasSize(4); // a second listing starts from the top again
    }
  }

  @ParameterizedTest
  @MethodSource("readers")
  void absentEntriesAreNullOrNoSuchFile(Supplier<SysfsReader> readers) throws IOException {
    SysfsReader r = readers.get();
    assertThat(r.open(dir.resolve("bus/dangling"))).isNull();
    assertThat(r.open(dir.resolve("devices/0000:3b:00.0/numa_node"))).isNull();
    try (SysfsDir d = r.open(dir.resolve("devices/0000:3b:00.0"))) {
      assertThat(d.readIfPresent("sriov_totalvfs")).isNull();
      assertThat(d.readLinkIfPresent("physfn")).isNull();
      assertThat(d.open("infiniband")).isNull();
      assertThatThrownBy(() -> d.read("sriov_totalvfs"))
          .isInstanceOf(NoSuchFileException.class)
          .hasMessageEndingWith("devices/0000:3b:00.0/sriov_totalvfs");
      assertThatThrownBy(() -> d.readLink("physfn")).isInstanceOf(NoSuchFileException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("readers")
  void wrongKindsOfEntryAreErrorsNamingTheFile(Supplier<SysfsReader> readers) throws IOException {
    try (SysfsDir d = readers.get().open(dir.resolve("devices/0000:3b:00.0"))) {
      assertThatThrownBy(() -> d.readLink("numa_node"))
          .isInstanceOf(NotLinkException.class)
          .hasMessageContaining("numa_node");
      assertThatThrownBy(() -> d.read("net"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("net")
          .hasMessageContaining("Is a directory");
      assertThatThrownBy(() -> d.readIfPresent("numa_node/x"))
          .isInstanceOf(FileSystemException.class)
          .hasMessageContaining("Not a directory");
    }
  }

  @Test
  void aClosedNativeDirectoryRefusesReads() throws IOException {
    SysfsDir d = new NativeSysfsReader(Libc.get()).open(dir.resolve("devices/0000:3b:00.0"));
    d.close();
    d.close(); // idempotent
    assertThatThrownBy(() -> d.read("numa_node"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("directory already closed");
  }

  @Test
  void nativeFailuresNameTheCallAndTheErrno() throws IOException {
    try (SysfsDir d = new NativeSysfsReader(Libc.get()).open(dir.resolve("devices/0000:3b:00.0"))) {
      assertThatThrownBy(() -> d.read("net"))
          .isInstanceOf(FileSystemException.class)
          .hasMessageEndingWith("devices/0000:3b:00.0/net: read: EISDIR (Is a directory)")
          .hasCauseInstanceOf(io.sriov.os.SyscallException.class);
      assertThatThrownBy(() -> d.readIfPresent("numa_node/x"))
          .isInstanceOf(FileSystemException.class)
          .hasMessageEndingWith("numa_node/x: open: ENOTDIR (Not a directory)");
    }
  }
}
