package io.sriov.daemon.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.PciAddress;
import io.sriov.netlink.devlink.EswitchMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOwnershipStoreTest {
  private static final PciAddress A = PciAddress.parse("0000:3b:00.0");
  private static final PciAddress B = PciAddress.parse("0000:af:00.0");

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("var/lib/sriov-node/owned-pfs.json");
  }

  private FileOwnershipStore store() throws IOException {
    return FileOwnershipStore.open(file());
  }

  @Test
  void openClearsTempFilesACrashLeftBehind() throws IOException {
    store().put(new OwnedPf(A, 1500, Optional.empty()));
    Path leftover = file().resolveSibling(".owned-pfs.json.0123456789abcdef.tmp");
    Files.writeString(leftover, "{\"version\":1,");
    assertThat(store().owned().keySet()).containsExactly(A);
    assertThat(Files.exists(leftover)).isFalse();
  }

  @Test
  void missingFileIsAnEmptyRecord() throws IOException {
    assertThat(store().owned()).isEmpty();
    store().remove(A);
    assertThat(Files.exists(file())).isFalse();
  }

  @Test
  void recordsSurviveARestartAndAreOnlyReadableByRoot() throws IOException {
    FileOwnershipStore s = store();
    s.put(new OwnedPf(A, 1500, Optional.empty()));
    s.put(new OwnedPf(B, 9000, Optional.of(EswitchMode.LEGACY)));
    s.put(new OwnedPf(A, 1400, Optional.empty()));
    assertThat(store().owned())
        .isEqualTo(
            Map.of(
                A, new OwnedPf(A, 1400, Optional.empty()),
                B, new OwnedPf(B, 9000, Optional.of(EswitchMode.LEGACY))));
    assertThat(Files.readString(file()))
        .isEqualTo(
            """
            {
              "version" : 1,
              "pfs" : [ {
                "pciAddress" : "0000:3b:00.0",
                "originalMtu" : 1400
              }, {
                "pciAddress" : "0000:af:00.0",
                "originalMtu" : 9000,
                "originalEswitchMode" : "legacy"
              } ]
            }""");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())))
        .isEqualTo("rwx------");
    store().remove(A);
    assertThat(store().owned().keySet()).containsExactly(B);
  }

  @Test
  void failedWriteKeepsThePreviousRecord() throws IOException {
    store().put(new OwnedPf(A, 1500, Optional.empty()));
    FileOwnershipStore failing =
        new FileOwnershipStore(
            file(),
            (t, b) -> {
              throw new IOException("No space left on device");
            });
    assertThatThrownBy(() -> failing.put(new OwnedPf(B, 1500, Optional.empty())))
        .isInstanceOf(IOException.class)
        .hasMessage("No space left on device");
    assertThat(store().owned().keySet()).containsExactly(A);
  }

  private void rejects(String content, String why) throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), content);
    assertThatThrownBy(() -> store().owned())
        .isInstanceOf(IOException.class)
        .hasMessage("ownership record " + file() + " is malformed: " + why);
  }

  @Test
  void malformedRecordIsAnErrorNotAnEmptyRecord() throws IOException {
    rejects("[]", "expected an object with \"version\": 1");
    rejects("{\"version\":2,\"pfs\":[]}", "expected an object with \"version\": 1");
    rejects("{\"version\":1,\"pfs\":{}}", "\"pfs\" is not a list");
    rejects(
        "{\"version\":1,\"pfs\":[{\"pciAddress\":\"0000:3b:00\",\"originalMtu\":1500}]}",
        "PCI address \"0000:3b:00\": expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)");
    rejects(
        "{\"version\":1,\"pfs\":[{\"pciAddress\":\"0000:3b:00.0\",\"originalMtu\":-1}]}",
        "originalMtu of 0000:3b:00.0 is not a non-negative integer");
    rejects(
        "{\"version\":1,\"pfs\":[{\"pciAddress\":\"0000:3b:00.0\",\"originalMtu\":1500,"
            + "\"originalEswitchMode\":\"offload\"}]}",
        "eswitch mode \"offload\": expected legacy or switchdev");
    Files.writeString(file(), "{\"version\":1,");
    assertThatThrownBy(() -> store().owned())
        .hasMessageStartingWith("ownership record " + file() + " is malformed: not JSON: ");
  }

  @Test
  void ownedPfRejectsANegativeMtu() {
    assertThatThrownBy(() -> new OwnedPf(A, -1, Optional.empty()))
        .hasMessage("originalMtu must not be negative: -1");
  }
}
