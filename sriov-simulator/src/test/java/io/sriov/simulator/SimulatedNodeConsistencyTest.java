package io.sriov.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.OperState;
import io.sriov.core.device.PciDevice;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfConfig;
import io.sriov.simulator.topology.Topology;
import io.sriov.sysfs.SysfsFiles;
import io.sriov.sysfs.SysfsRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One simulated node is one machine: its sysfs tree and its rtnetlink tell the same story about
 * every PCI function's netdev, whichever side made the change.
 */
class SimulatedNodeConsistencyTest {
  static final Duration T = Duration.ofSeconds(5);
  static final PciAddress PF1 = PciAddress.parse("0000:3b:00.1"); // ens1f1, no VFs at boot
  static final Path POD = Path.of("/var/run/netns/pod-a");

  @TempDir Path tmp;
  SimulatedNode node;
  SysfsRoot root;
  RtnlOperations rtnl;
  Topology.Pf spec;

  @BeforeEach
  void setUp() throws Exception {
    node = SimulatedNode.builtIn(tmp.resolve("node"));
    root = node.root();
    rtnl = node.rtnl().orElseThrow();
    spec = node.topology().pfs().stream().filter(p -> p.address().equals(PF1)).findFirst().get();
  }

  @AfterEach
  void tearDown() {
    node.close();
  }

  private String sysfs(String netdev, String attribute) throws Exception {
    return SysfsFiles.readRaw(root.classNet().resolve(netdev).resolve(attribute));
  }

  private void enableVfs(int n) throws Exception {
    node.kernel().write(root.pciAttribute(PF1, "sriov_numvfs"), Integer.toString(n), T);
  }

  private Link link(String name) throws Exception {
    return rtnl.link(name).orElseThrow(() -> new AssertionError("no link " + name));
  }

  private PciNetDevice discovered(PciAddress a) throws Exception {
    return node.discovery().discoverAll().devices().stream()
        .filter(d -> d instanceof PciDevice p && p.address().equals(a))
        .map(PciNetDevice.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("not discovered: " + a));
  }

  @Test
  void vfNetdevsFromSriovNumvfsAreTheSameInSysfsAndRtnetlink() throws Exception {
    assertThat(rtnl.link("ens1f1v0")).isEmpty();
    enableVfs(3);
    for (int i = 0; i < 3; i++) {
      String name = "ens1f1v" + i;
      Link l = link(name);
      assertThat(sysfs(name, "ifindex")).isEqualTo(Integer.toString(l.index()));
      assertThat(sysfs(name, "address")).isEqualTo(l.mac().orElseThrow().toString());
      assertThat(sysfs(name, "mtu")).isEqualTo(Integer.toString(l.mtu()));
      assertThat(sysfs(name, "operstate")).isEqualTo("up");
      assertThat(l.parentDeviceName()).contains(spec.vfAddress(i).toString());
      assertThat(Files.readSymbolicLink(root.classNet().resolve(name)).toString())
          .contains(spec.vfAddress(i).toString() + "/net/" + name);
    }
    assertThat(rtnl.vfs(link("ens1f1").index(), false)).hasSize(3);
    List<Integer> indexes = rtnl.links().stream().map(Link::index).toList();
    assertThat(indexes).doesNotHaveDuplicates();

    enableVfs(0);
    assertThat(rtnl.link("ens1f1v0")).isEmpty();
    assertThat(root.classNet().resolve("ens1f1v0")).doesNotExist();
    assertThat(rtnl.vfs(link("ens1f1").index(), false)).isEmpty();
  }

  @Test
  void aVfMacSetOnThePfShowsInTheVfNetdevsSysfsAddress() throws Exception {
    enableVfs(2);
    MacAddress mac = MacAddress.parse("02:00:00:aa:bb:01");
    rtnl.setVf(link("ens1f1").index(), VfConfig.forVf(VfIndex.of(1)).mac(mac).build());
    assertThat(sysfs("ens1f1v1", "address")).isEqualTo("02:00:00:aa:bb:01");
    assertThat(link("ens1f1v1").mac()).contains(mac);
    assertThat(sysfs("ens1f1v0", "address")).isNotEqualTo("02:00:00:aa:bb:01");
  }

  @Test
  void aVfMovedIntoAPodVanishesFromHostSysfsAndComesBack() throws Exception {
    enableVfs(1);
    PciAddress vf = spec.vfAddress(0);
    int index = link("ens1f1v0").index();
    assertThat(discovered(vf).netdev()).isPresent();
    node.network().createNamespace(POD);

    rtnl.moveToNamespace(index, POD);
    assertThat(root.classNet().resolve("ens1f1v0")).doesNotExist();
    assertThat(root.pciAttribute(vf, "net")).doesNotExist();
    assertThat(rtnl.link("ens1f1v0")).isEmpty();
    PciNetDevice inPod = discovered(vf);
    assertThat(inPod.netdev()).as("as on Linux: the VF is there, its netdev is not").isEmpty();
    assertThat(inPod.driver()).contains(DriverName.of("iavf"));
    try (RtnlOperations pod = node.rtnlNamespaces().orElseThrow().open(POD)) {
      pod.rename(index, InterfaceName.of("net1"));
      assertThat(root.classNet().resolve("net1"))
          .as("a pod's rename is not the host's")
          .doesNotExist();
      pod.moveToNamespace(index, node.network().hostNamespace());
    }

    assertThat(sysfs("net1", "ifindex")).isEqualTo(Integer.toString(link("net1").index()));
    assertThat(sysfs("net1", "operstate")).isEqualTo("down"); // a moved link arrives down
    assertThat(discovered(vf).netdev().orElseThrow().name()).isEqualTo(InterfaceName.of("net1"));
  }

  @Test
  void aDeletedPodNamespaceGivesTheVfNetdevBackToHostSysfs() throws Exception {
    enableVfs(1);
    node.network().createNamespace(POD);
    rtnl.moveToNamespace(link("ens1f1v0").index(), POD);
    node.network().deleteNamespace(POD);
    assertThat(sysfs("ens1f1v0", "ifindex")).isEqualTo(Integer.toString(link("ens1f1v0").index()));
  }

  @Test
  void carrierChangesReachTheLinkMonitorOnceAndRtnetlink() throws Exception {
    LinkMonitor monitor = node.links().orElseThrow();
    LinkedBlockingQueue<LinkEvent> events = new LinkedBlockingQueue<>();
    monitor.subscribe(events::add);

    node.kernel().setCarrier(InterfaceName.of("ens1f1"), false);
    LinkEvent down = events.poll(10, TimeUnit.SECONDS);
    assertThat(down.kind()).isEqualTo(LinkEvent.Kind.CHANGED);
    assertThat(down.name()).isEqualTo(InterfaceName.of("ens1f1"));
    assertThat(down.ifIndex()).isEqualTo(link("ens1f1").index());
    assertThat(down.carrier()).isFalse();
    assertThat(link("ens1f1").operState()).isEqualTo(OperState.DOWN);
    assertThat(link("ens1f1").carrier()).isFalse();
    assertThat(sysfs("ens1f1", "carrier")).isEqualTo("0");
    assertThat(sysfs("ens1f1", "operstate")).isEqualTo("down");
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("no doubled event").isNull();

    node.kernel().setCarrier(InterfaceName.of("ens1f1"), false);
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("no change, no event").isNull();

    node.kernel().setCarrier(InterfaceName.of("ens1f1"), true);
    assertThat(events.poll(10, TimeUnit.SECONDS).carrier()).isTrue();
    assertThat(link("ens1f1").operState()).isEqualTo(OperState.UP);
    assertThat(sysfs("ens1f1", "operstate")).isEqualTo("up");
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("no doubled event").isNull();
  }

  @Test
  void vfNetdevsComeAndGoOnceOnTheLinkMonitor() throws Exception {
    LinkMonitor monitor = node.links().orElseThrow();
    LinkedBlockingQueue<LinkEvent> events = new LinkedBlockingQueue<>();
    monitor.subscribe(events::add);
    enableVfs(1);
    LinkEvent added = events.poll(10, TimeUnit.SECONDS);
    assertThat(added.kind()).isEqualTo(LinkEvent.Kind.PRESENT);
    assertThat(added.name()).isEqualTo(InterfaceName.of("ens1f1v0"));
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).as("no doubled event").isNull();
    assertThat(monitor.snapshot())
        .extracting(e -> e.name().value())
        .containsAll(rtnl.links().stream().map(l -> l.name().value()).toList());
  }

  @Test
  void unbindingAVfRemovesItsNetdevFromBothAndRebindingRestoresIt() throws Exception {
    enableVfs(1);
    PciAddress vf = spec.vfAddress(0);
    node.kernel().write(root.pciDriver(DriverName.of("iavf")).resolve("unbind"), vf.toString(), T);
    assertThat(rtnl.link("ens1f1v0")).isEmpty();
    assertThat(root.classNet().resolve("ens1f1v0")).doesNotExist();

    node.kernel().write(root.pciDriver(DriverName.of("iavf")).resolve("bind"), vf.toString(), T);
    assertThat(sysfs("ens1f1v0", "ifindex")).isEqualTo(Integer.toString(link("ens1f1v0").index()));
  }

  @Test
  void mtuWrittenThroughRtnetlinkShowsInSysfsAndSysfsWritesReachRtnetlink() throws Exception {
    rtnl.setMtu(link("ens1f1").index(), 9000);
    assertThat(sysfs("ens1f1", "mtu")).isEqualTo("9000");

    node.kernel().write(root.classNet().resolve("ens1f1").resolve("mtu"), "1600", T);
    assertThat(link("ens1f1").mtu()).isEqualTo(1600);
    assertThat(sysfs("ens1f1", "mtu")).isEqualTo("1600");
  }
}
