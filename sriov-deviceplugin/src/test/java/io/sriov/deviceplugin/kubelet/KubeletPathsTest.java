package io.sriov.deviceplugin.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KubeletPathsTest {
  private static final String NAME_63 = "a".repeat(50) + "_sriov_netdev";

  private static int bytes(Path p) {
    return p.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void upstreamsSocketNameWhenItFits() {
    PoolSpec spec = PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE);
    assertThat(KubeletPaths.DEFAULT.socketPath(RegistrationMode.WATCHER, spec))
        .isEqualTo(Path.of("/var/lib/kubelet/plugins_registry/intel.com_sriov_net.sock"));
  }

  @Test
  void aLongestValidNameIsShortenedToFitSunPathAndStaysDistinct() {
    assertThat(NAME_63).hasSize(63);
    PoolSpec a = PoolSpec.simple("intel.com", NAME_63, DeviceKind.NET_DEVICE);
    PoolSpec b =
        PoolSpec.simple("intel.com", NAME_63.substring(0, 62) + "x", DeviceKind.NET_DEVICE);
    for (RegistrationMode mode : RegistrationMode.values()) {
      Path pa = KubeletPaths.DEFAULT.socketPath(mode, a);
      Path pb = KubeletPaths.DEFAULT.socketPath(mode, b);
      assertThat(bytes(pa)).isEqualTo(KubeletPaths.MAX_SOCKET_PATH);
      assertThat(pa.getFileName().toString()).startsWith("intel.com_aaaa").endsWith(".sock");
      assertThat(pa).isNotEqualTo(pb);
      assertThat(pa.getParent()).isEqualTo(KubeletPaths.DEFAULT.socketDir(mode));
    }
    // A DNS-subdomain prefix can be 253 characters: still served.
    PoolSpec huge = PoolSpec.simple("x".repeat(200) + ".example.com", "n", DeviceKind.NET_DEVICE);
    assertThat(bytes(KubeletPaths.DEFAULT.socketPath(RegistrationMode.LEGACY, huge)))
        .isEqualTo(KubeletPaths.MAX_SOCKET_PATH);
  }

  @Test
  void aKubeletDirTooLongForAnySocketIsReportedWithItsLength() {
    Path dir = Path.of("/" + "d".repeat(70));
    KubeletPaths paths = new KubeletPaths(dir.resolve("device-plugins"), dir.resolve("reg"));
    assertThat(paths.checkSocketRoom(RegistrationMode.WATCHER)).isEmpty();
    assertThat(paths.checkSocketRoom(RegistrationMode.LEGACY))
        .contains(
            "socket directory "
                + dir.resolve("device-plugins")
                + " is 86 bytes long: a Unix socket path holds at most 107 bytes (sun_path, 108"
                + " with the NUL), which leaves no room for a socket name of at least 23 bytes");
    assertThatThrownBy(
            () ->
                paths.socketPath(
                    RegistrationMode.LEGACY,
                    PoolSpec.simple("intel.com", "n".repeat(30), DeviceKind.NET_DEVICE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("socket directory ");
  }
}
