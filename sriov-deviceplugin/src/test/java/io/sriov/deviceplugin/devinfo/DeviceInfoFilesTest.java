package io.sriov.deviceplugin.devinfo;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.DeviceNeeds;
import io.sriov.deviceplugin.pool.PoolSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceInfoFilesTest {
  @TempDir Path dir;

  private static final DeviceNeeds RDMA = new DeviceNeeds(true, false, Optional.empty());
  private static final DeviceNeeds VDPA =
      new DeviceNeeds(false, false, Optional.of(VdpaType.VHOST));

  @Test
  void rdmaDeviceIsNamedInThePciDocumentOfAnIsRdmaPoolOnly() {
    var d = vf("0000:3b:00.0", "ens2f0", 0).driver("mlx5_core").rdma("mlx5_4").build();
    assertThat(DeviceInfoFiles.document(d, DeviceNeeds.NONE).toString())
        .isEqualTo(
            "{\"type\":\"pci\",\"version\":\"1.1.0\",\"pci\":{\"pci-address\":\"0000:3b:02.0\"}}");
    assertThat(DeviceInfoFiles.document(d, RDMA).toString())
        .isEqualTo(
            "{\"type\":\"pci\",\"version\":\"1.1.0\",\"pci\":{\"pci-address\":\"0000:3b:02.0\","
                + "\"rdma-device\":\"mlx5_4\"}}");
  }

  @Test
  void vdpaDeviceGetsAVdpaDocumentInAVdpaTypePoolOnlyWithUpstreamsDriverWord() {
    var d =
        vf("0000:3b:00.0", "ens2f0", 0)
            .driver("mlx5_core")
            .vdpa(new VdpaDevice("vdpa0", VdpaType.VHOST, Optional.of("vhost-vdpa-0")))
            .build();
    assertThat(DeviceInfoFiles.document(d, DeviceNeeds.NONE).get("type").asText()).isEqualTo("pci");
    assertThat(DeviceInfoFiles.document(d, VDPA).toString())
        .isEqualTo(
            "{\"type\":\"vdpa\",\"version\":\"1.1.0\",\"vdpa\":{\"parent-device\":\"vdpa0\","
                + "\"driver\":\"vhost\",\"path\":\"/dev/vhost-vdpa-0\","
                + "\"pci-address\":\"0000:3b:02.0\"}}");
  }

  @Test
  void writeReplacesAndRemovePoolOnlyTouchesThatPool() throws Exception {
    DeviceInfoFiles files = new DeviceInfoFiles(dir);
    PoolSpec a = PoolSpec.simple("intel.com", "a", DeviceKind.NET_DEVICE);
    PoolSpec ab = PoolSpec.simple("intel.com", "a-b", DeviceKind.NET_DEVICE);
    files.write(a, vf("0000:af:00.0", "ens1f0", 0).build(), DeviceNeeds.NONE);
    files.write(a, vf("0000:af:00.0", "ens1f0", 0).build(), DeviceNeeds.NONE);
    files.write(ab, vf("0000:af:00.0", "ens1f0", 1).build(), DeviceNeeds.NONE);
    Path unrelated = Files.writeString(dir.resolve("intel.com-a-notes.txt"), "x");
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "intel.com-a-0000:af:02.0-device.json",
              "intel.com-a-b-0000:af:02.1-device.json",
              "intel.com-a-notes.txt");
    }
    assertThat(files.removePool(a)).isEqualTo(1);
    assertThat(dir.resolve("intel.com-a-b-0000:af:02.1-device.json")).exists();
    assertThat(unrelated).exists();
  }

  @Test
  void filesAreReadOnlyAndLeftoversOfPoolsNoLongerConfiguredAreRemovedAtStart() throws Exception {
    PoolSpec gone = PoolSpec.simple("intel.com", "gone", DeviceKind.NET_DEVICE);
    PoolSpec kept = PoolSpec.simple("intel.com", "kept", DeviceKind.NET_DEVICE);
    DeviceInfoFiles first = new DeviceInfoFiles(dir);
    first.served(java.util.List.of(gone, kept));
    first.write(gone, vf("0000:af:00.0", "ens1f0", 0).build(), DeviceNeeds.NONE);
    Path file = first.fileFor(gone, "0000:af:02.0");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)))
        .isEqualTo("r--r--r--");
    Path temp =
        Files.writeString(
            dir.resolve(".intel.com-gone-0000:af:02.1-device.json.0123456789abcdef.tmp"), "{");
    Path otherPlugin =
        Files.writeString(dir.resolve("example.org-x-0000:af:02.2-device.json"), "{}");
    // The process died (its ledger lock with it); the next one serves only "kept".
    Path firstLedger = first.ledgerFile();
    first.releaseLedgerLock();
    DeviceInfoFiles next = new DeviceInfoFiles(dir);
    assertThat(next.removeLeftovers()).isEqualTo(2);
    assertThat(firstLedger).doesNotExist();
    assertThat(file).doesNotExist();
    assertThat(temp).doesNotExist();
    assertThat(otherPlugin).exists();
    next.served(java.util.List.of(kept));
    assertThat(next.ledgerFile().getFileName().toString())
        .matches("\\.sriov-dp-resources\\.[0-9a-f]{16}");
    assertThat(Files.readString(next.ledgerFile())).isEqualTo("intel.com/kept\n");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(next.ledgerFile())))
        .isEqualTo("rw-------");
    next.served(java.util.List.of());
    assertThat(next.ledgerFile()).as("a clean stop leaves no ledger").doesNotExist();
  }

  @Test
  void overlappingInstancesKeepTheirOwnLedgersAndAStartSparesARunningOnes() throws Exception {
    PoolSpec a = PoolSpec.simple("intel.com", "a", DeviceKind.NET_DEVICE);
    PoolSpec b = PoolSpec.simple("intel.com", "b", DeviceKind.NET_DEVICE);
    DeviceInfoFiles old = new DeviceInfoFiles(dir);
    old.served(java.util.List.of(a));
    old.write(a, vf("0000:af:00.0", "ens1f0", 0).build(), DeviceNeeds.NONE);
    DeviceInfoFiles next = new DeviceInfoFiles(dir);
    assertThat(next.removeLeftovers()).as("the old instance still runs").isZero();
    assertThat(old.fileFor(a, "0000:af:02.0")).exists();
    next.served(java.util.List.of(a, b));
    old.served(java.util.List.of()); // the old instance stops cleanly
    assertThat(old.ledgerFile()).doesNotExist();
    assertThat(Files.readString(next.ledgerFile())).isEqualTo("intel.com/a\nintel.com/b\n");
    // the new instance dies; a third starts and cleans what the second served
    next.write(b, vf("0000:af:00.0", "ens1f0", 1).build(), DeviceNeeds.NONE);
    next.releaseLedgerLock();
    DeviceInfoFiles third = new DeviceInfoFiles(dir);
    assertThat(third.removeLeftovers()).as("pool a's file and pool b's").isEqualTo(2);
    assertThat(next.fileFor(a, "0000:af:02.0")).doesNotExist();
    assertThat(next.fileFor(b, "0000:af:02.1")).doesNotExist();
  }

  @Test
  void removeOwnLeavesAFileAnotherInstanceReplaced() throws Exception {
    PoolSpec a = PoolSpec.simple("intel.com", "a", DeviceKind.NET_DEVICE);
    DeviceInfoFiles old = new DeviceInfoFiles(dir);
    DeviceInfoFiles next = new DeviceInfoFiles(dir);
    old.write(a, vf("0000:af:00.0", "ens1f0", 0).build(), DeviceNeeds.NONE);
    old.write(a, vf("0000:af:00.0", "ens1f0", 1).build(), DeviceNeeds.NONE);
    next.write(a, vf("0000:af:00.0", "ens1f0", 1).build(), DeviceNeeds.NONE);
    assertThat(old.removeOwn(a)).isEqualTo(1);
    assertThat(old.fileFor(a, "0000:af:02.0")).doesNotExist();
    assertThat(old.fileFor(a, "0000:af:02.1")).exists();
  }

  @Test
  void aWriteErrorKeepsTheOsCause() throws Exception {
    Path notADir = Files.writeString(dir.resolve("file"), "x");
    DeviceInfoFiles files = new DeviceInfoFiles(notADir);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                files.write(
                    PoolSpec.simple("intel.com", "a", DeviceKind.NET_DEVICE),
                    vf("0000:af:00.0", "ens1f0", 0).build(),
                    DeviceNeeds.NONE))
        .hasMessage(
            "cannot write device-info file "
                + notADir
                + "/intel.com-a-0000:af:02.0-device.json: "
                + notADir
                + "/intel.com-a-0000:af:02.0-device.json: "
                + notADir
                + " is not a directory");
  }
}
