package io.sriov.sysfs.pci;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.NetInterface;
import io.sriov.core.device.OperState;
import io.sriov.core.port.NetdevSnapshot;
import io.sriov.core.testing.Prerequisites;
import io.sriov.netlink.discovery.NetlinkDetailsDiscovery;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.netlink.socket.NetlinkSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the real kernel, in the host namespace (where sysfs's netdevs are): each netdev as the
 * discovery reads it from one RTM_GETLINK dump equals the same netdev read from its sysfs files
 * ({@code /sys/class/net/<name>}'s {@code mtu}, {@code type}, {@code address}, {@code operstate},
 * {@code carrier}), for a veth pair of this test in three states (both down; one up with MTU 9000,
 * its peer down: LOWERLAYERDOWN; both up), {@code lo}, and the machine's netdevs that hang under a
 * device (whose IFLA_PARENT_DEV_NAME must name the directory they are listed in). The veth pair is
 * always deleted afterwards.
 */
class NetdevDumpIT {
  private static final long PID = ProcessHandle.current().pid();
  private static final String A = "sriovnd" + PID;
  private static final String B = "sriovne" + PID;

  private boolean created;

  @BeforeEach
  void veth() {
    String why =
        NetlinkSocket.unavailableReason()
            .orElse(Prerequisites.isRoot() ? "" : "not running as root");
    Prerequisites.require(why.isEmpty(), "root and the real kernel's rtnetlink", why);
    run("ip", "link", "add", A, "type", "veth", "peer", "name", B);
    created = true;
  }

  @AfterEach
  void deleteVeth() {
    if (created) {
      run("ip", "link", "del", A);
    }
  }

  @Test
  void everyNetdevFromTheDumpEqualsItsSysfsFiles() throws Exception {
    assertSameAsFiles(OperState.DOWN);
    run("ip", "link", "set", A, "mtu", "9000", "up");
    assertSameAsFiles(OperState.LOWERLAYERDOWN);
    run("ip", "link", "set", B, "up");
    assertSameAsFiles(OperState.UP);
  }

  /** One dump, then each netdev read with it and from its files; {@code a} is A's oper state. */
  private void assertSameAsFiles(OperState a) throws Exception {
    List<Link> links;
    try (RtnlClient rtnl = RtnlClient.open()) {
      links = rtnl.links();
    }
    NetdevSnapshot dump = NetlinkDetailsDiscovery.netdevs(links);
    List<String> names = new ArrayList<>(List.of(A, B, "lo"));
    for (Link l : links) {
      if (l.parentDeviceName().isPresent()) {
        names.add(l.name().value()); // a NIC's netdev: stable while the test runs
      }
    }
    SysfsReader.Pool readers = new SysfsReader.Pool(SysfsReader::create);
    for (String name : names) {
      Path device = Path.of("/sys/class/net", name).toRealPath().getParent().getParent();
      try (DeviceDir dir = DeviceDir.open(readers, device)) {
        assertThat(dump.netdev(name, String.valueOf(device.getFileName())))
            .as("the dump describes %s on %s", name, device)
            .isPresent();
        for (boolean vf : new boolean[] {true, false}) {
          Optional<NetInterface> fromDump = NetdevReader.read(dir, name, vf, dump);
          Optional<NetInterface> fromFiles = NetdevReader.read(dir, name, vf, null);
          assertThat(fromDump.map(n -> n.withAltNames(List.of())))
              .as("%s (vf=%s)", name, vf)
              .isEqualTo(fromFiles)
              .isPresent();
        }
      }
    }
    try (DeviceDir dir = DeviceDir.open(readers, Path.of("/sys/devices/virtual"))) {
      NetInterface veth = NetdevReader.read(dir, A, true, dump).orElseThrow();
      assertThat(veth.operState()).isEqualTo(a);
      assertThat(veth.mtu()).isEqualTo(a == OperState.DOWN ? 1500 : 9000);
    }
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      if (rc != 0) {
        throw new AssertionError(String.join(" ", cmd) + " exited " + rc + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
