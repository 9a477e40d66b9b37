package io.sriov.sysfs.pci;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.LinkType;
import io.sriov.core.device.NetInterface;
import io.sriov.core.device.OperState;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.DeviceDiscovery.Result;
import io.sriov.core.port.NetdevSnapshot;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.discovery.NetlinkDetailsDiscovery;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.topology.Topology;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The discovery with the netdevs' facts from one rtnetlink dump per walk (the simulated node's
 * {@code discovery()}, as the real node's) against the same walk from the netdevs' sysfs files
 * alone: equal devices on an Ethernet and an InfiniBand PF with VFs, after MTU, link and VF
 * changes; a netdev the dump has is not read from its files; one it lacks (appeared after the dump,
 * or shown on another device) is.
 */
class NetdevSnapshotDiscoveryTest {
  static final PciAddress ICE = PciAddress.parse("0000:3b:00.0");
  static final PciAddress IB = PciAddress.parse("0000:d8:00.0");
  static final PciAddress ICE_VF1 = PciAddress.parse("0000:3c:00.1");

  @TempDir Path dir;
  SimulatedNode node;
  SysfsRoot root;
  RtnlOperations rtnl;
  SysfsDeviceDiscovery files;
  DeviceDiscovery dumped;

  @BeforeEach
  void setUp() throws Exception {
    Path topo = dir.resolve("topology.yaml");
    Files.writeString(
        topo,
        """
        name: netdev-snapshot
        pfs:
          - address: "0000:3b:00.0"
            vendor: "8086"
            device: "159b"
            vfDevice: "1889"
            driver: ice
            vfDriver: iavf
            totalVfs: 8
            numVfs: 3
            netdev: ens1f0
          - address: "0000:d8:00.0"
            vendor: "15b3"
            device: "101b"
            vfDevice: "101c"
            driver: mlx5_core
            vfDriver: mlx5_core
            totalVfs: 4
            numVfs: 2
            netdev: ib0
            linkType: infiniband
        """);
    node = SimulatedNode.create(dir.resolve("node"), Topology.load(topo));
    root = node.root();
    rtnl = node.rtnl().orElseThrow();
    files = new SysfsDeviceDiscovery(root);
    dumped = node.discovery();
  }

  private static PciNetDevice net(Result r, PciAddress a) {
    return r.devices().stream()
        .filter(d -> d.id().equals(a.toString()))
        .map(PciNetDevice.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("missing " + a));
  }

  private void assertSameWalks() throws Exception {
    assertThat(dumped.discoverAll()).isEqualTo(files.discoverAll());
    for (PciAddress pf : List.of(ICE, IB)) {
      assertThat(dumped.discoverPf(pf)).isEqualTo(files.discoverPf(pf));
    }
  }

  @Test
  void theDumpBackedWalkEqualsTheFilesAfterEveryKindOfChange() throws Exception {
    Result before = files.discoverAll();
    assertThat(net(before, IB).netdev().orElseThrow().linkType()).isEqualTo(LinkType.INFINIBAND);
    assertThat(net(before, ICE_VF1).netdev()).isPresent();
    assertSameWalks();

    int vf1 = rtnl.link("ens1f0v1").orElseThrow().index();
    rtnl.setMtu(vf1, 9000);
    rtnl.setUp(rtnl.link("ens1f0").orElseThrow().index(), false); // the PF and its VFs lose carrier
    rtnl.setUp(vf1, true);
    assertThat(net(files.discoverAll(), ICE_VF1).netdev().orElseThrow().mtu()).isEqualTo(9000);
    assertSameWalks();

    SriovProvisioner p = new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults());
    List<PciAddress> vfs = p.setNumVfs(ICE, 5).vfs();
    assertSameWalks();
    assertThat(dumped.discoverPf(ICE, vfs)).isEqualTo(files.discoverPf(ICE, vfs));
  }

  @Test
  void aNetdevTheDumpHasIsNotReadFromItsFiles() throws Exception {
    // Only a test can make the file and the kernel disagree: the walk with the dump shows the
    // kernel's MTU, the walk from the files the file's.
    Files.writeString(root.pciDevice(ICE_VF1).resolve("net/ens1f0v1/mtu"), "1234\n");
    assertThat(net(files.discoverAll(), ICE_VF1).netdev().orElseThrow().mtu()).isEqualTo(1234);
    assertThat(net(dumped.discoverAll(), ICE_VF1).netdev().orElseThrow().mtu()).isEqualTo(1500);
    assertThat(net(dumped.discoverPf(ICE), ICE_VF1).netdev().orElseThrow().mtu()).isEqualTo(1500);
  }

  @Test
  void aNameMissingFromTheDumpOrOnAnotherDeviceFallsBackToItsFiles() throws Exception {
    Files.writeString(root.pciDevice(ICE_VF1).resolve("net/ens1f0v1/mtu"), "1234\n");
    List<Link> links = rtnl.links();

    NetdevSnapshot without =
        NetlinkDetailsDiscovery.netdevs(
            links.stream().filter(l -> !l.name().value().equals("ens1f0v1")).toList());
    Result r = files.withNetdevs(without).discoverAll();
    assertThat(net(r, ICE_VF1).netdev().orElseThrow().mtu())
        .as("read from its files")
        .isEqualTo(1234);
    assertThat(r).isEqualTo(files.discoverAll());

    NetInterface vf1 = rtnl.link("ens1f0v1").orElseThrow().netInterface().orElseThrow();
    NetdevSnapshot elsewhere =
        new NetdevSnapshot(List.of(new NetdevSnapshot.Entry(vf1, Optional.of("0000:ff:00.0"))));
    assertThat(
            net(files.withNetdevs(elsewhere).discoverAll(), ICE_VF1).netdev().orElseThrow().mtu())
        .as("the dump shows that name on another device: renamed meanwhile, its files decide")
        .isEqualTo(1234);
    NetdevSnapshot here =
        new NetdevSnapshot(List.of(new NetdevSnapshot.Entry(vf1, Optional.of(ICE_VF1.toString()))));
    assertThat(net(files.withNetdevs(here).discoverAll(), ICE_VF1).netdev().orElseThrow().mtu())
        .isEqualTo(1500);
  }

  @Test
  void netdevsThatAppearedAfterTheDumpAreReadFromTheirFiles() throws Exception {
    NetdevSnapshot old = NetlinkDetailsDiscovery.netdevs(rtnl.links());
    SriovProvisioner p = new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults());
    List<PciAddress> vfs = p.setNumVfs(ICE, 6).vfs();
    Result r = files.withNetdevs(old).discoverPf(ICE, vfs);
    assertThat(r).isEqualTo(files.discoverPf(ICE, vfs));
    assertThat(net(r, vfs.get(5)).netdev().map(NetInterface::name).orElseThrow())
        .hasToString("ens1f0v5");
    assertThat(net(r, vfs.get(5)).netdev().orElseThrow().operState()).isNotNull();
  }

  @Test
  void theVfsOfTheVerifiedReReadCostNoNetdevFile() throws Exception {
    // every netdev file of the PF's VFs removed: the dump-backed re-read still reports them as the
    // kernel does (only the net/ listing names them), the files-only walk skips them
    SriovProvisioner p = new SriovProvisioner(root, node.kernel(), ProvisionTimeouts.defaults());
    List<PciAddress> vfs = p.setNumVfs(ICE, 4).vfs();
    Result expected = files.discoverPf(ICE, vfs);
    for (PciAddress vf : vfs) {
      Path netdev =
          root.pciDevice(vf)
              .resolve("net")
              .resolve(net(expected, vf).netdev().orElseThrow().name().value());
      for (String f : List.of("mtu", "type", "address", "operstate", "carrier")) {
        Files.delete(netdev.resolve(f));
      }
    }
    assertThat(dumped.discoverPf(ICE, vfs)).isEqualTo(expected);
    assertThat(files.discoverPf(ICE, vfs).skipped()).hasSize(vfs.size());
    assertThat(net(expected, vfs.get(0)).netdev().orElseThrow().operState())
        .isIn(OperState.values());
  }
}
