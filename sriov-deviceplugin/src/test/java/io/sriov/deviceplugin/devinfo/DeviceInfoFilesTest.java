package io.sriov.deviceplugin.devinfo;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.VdpaDevice;
import io.sriov.core.device.VdpaType;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceInfoFilesTest {
  @TempDir Path dir;

  @Test
  void rdmaDeviceIsNamedInThePciDocument() {
    assertThat(
            DeviceInfoFiles.document(
                    vf("0000:3b:00.0", "ens2f0", 0).driver("mlx5_core").rdma("mlx5_4").build())
                .toString())
        .isEqualTo(
            "{\"type\":\"pci\",\"version\":\"1.1.0\",\"pci\":{\"pci-address\":\"0000:3b:02.0\","
                + "\"rdma-device\":\"mlx5_4\"}}");
  }

  @Test
  void vdpaDeviceGetsAVdpaDocument() {
    assertThat(
            DeviceInfoFiles.document(
                    vf("0000:3b:00.0", "ens2f0", 0)
                        .driver("mlx5_core")
                        .vdpa(new VdpaDevice("vdpa0", VdpaType.VHOST, Optional.of("vhost-vdpa-0")))
                        .build())
                .toString())
        .isEqualTo(
            "{\"type\":\"vdpa\",\"version\":\"1.1.0\",\"vdpa\":{\"parent-device\":\"vdpa0\","
                + "\"driver\":\"vhost_vdpa\",\"path\":\"/dev/vhost-vdpa-0\","
                + "\"pci-address\":\"0000:3b:02.0\"}}");
  }

  @Test
  void writeReplacesAndRemovePoolOnlyTouchesThatPool() throws Exception {
    DeviceInfoFiles files = new DeviceInfoFiles(dir);
    PoolSpec a = PoolSpec.simple("intel.com", "a", DeviceKind.NET_DEVICE);
    PoolSpec ab = PoolSpec.simple("intel.com", "a-b", DeviceKind.NET_DEVICE);
    files.write(a, vf("0000:af:00.0", "ens1f0", 0).build());
    files.write(a, vf("0000:af:00.0", "ens1f0", 0).build());
    files.write(ab, vf("0000:af:00.0", "ens1f0", 1).build());
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
}
