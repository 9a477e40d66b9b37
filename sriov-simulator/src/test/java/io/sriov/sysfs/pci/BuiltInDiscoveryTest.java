package io.sriov.sysfs.pci;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.device.AcceleratorDevice;
import io.sriov.core.device.AuxNetDevice;
import io.sriov.core.device.Device;
import io.sriov.core.device.IommuGroup;
import io.sriov.core.device.LinkType;
import io.sriov.core.device.OperState;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.device.SriovRole;
import io.sriov.core.port.DeviceDiscovery.Result;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import io.sriov.core.value.VfIndex;
import io.sriov.os.Libc;
import io.sriov.simulator.SimulatedNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery of the built-in simulated server: every attribute as the tree states it. */
class BuiltInDiscoveryTest {
  @TempDir Path dir;
  SimulatedNode node;
  Result result;

  @BeforeEach
  void discover() throws Exception {
    node = SimulatedNode.builtIn(dir);
    result = new SysfsDeviceDiscovery(node.root()).discoverAll();
  }

  PciNetDevice net(String a) {
    return result.devices().stream()
        .filter(d -> d instanceof PciNetDevice && d.id().equals(a))
        .map(PciNetDevice.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("not discovered: " + a));
  }

  /** The SF's nested mlx5_core.eth.1 has an aux parent, not a PCI one: it is not a device. */
  @Test
  void findsEveryFunctionOfTheTopologyAndNothingElse() {
    assertThat(result.skipped()).isEmpty();
    assertThat(result.devices().stream().map(Device::id))
        .containsExactly(
            "0000:3b:00.0",
            "0000:3b:00.1",
            "0000:3c:00.0",
            "0000:3c:00.1",
            "0000:3c:00.2",
            "0000:3c:00.3",
            "0000:6b:00.0",
            "0000:6c:00.0",
            "0000:6c:00.1",
            "0000:af:00.0",
            "0000:b0:00.0",
            "0000:b0:00.1",
            "mlx5_core.sf.1");
  }

  /**
   * Readers are lent per open directory, not kept per thread: walks from many short-lived threads
   * (the common pool's threads end when idle; here a fresh thread per walk) reuse the same few
   * readers. With a reader per thread this discovery would have made one per walk thread (40+).
   */
  @Test
  void walksOnFreshThreadsReuseTheSameReaders() throws Exception {
    SysfsDeviceDiscovery discovery = new SysfsDeviceDiscovery(node.root());
    List<Result> results = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Thread t = new Thread(() -> results.add(discovery.discoverAll()));
      t.start();
      t.join();
      Thread p = new Thread(() -> discovery.discoverPf(PciAddress.parse("0000:3b:00.0")));
      p.start();
      p.join();
    }
    assertThat(results).hasSize(40).allSatisfy(r -> assertThat(r).isEqualTo(result));
    // At most one reader per walk thread (the caller and the common pool's workers) per level of
    // nesting (a PF's directory open while its VF list is read).
    int walkThreads = ForkJoinPool.getCommonPoolParallelism() + 1;
    assertThat(discovery.readersCreated()).isBetween(1, 2 * walkThreads);
  }

  @Test
  void pfAttributes() {
    PciNetDevice pf = net("0000:3b:00.0");
    assertThat(pf.pci().vendor()).isEqualTo(PciId.parse("8086"));
    assertThat(pf.pci().device()).isEqualTo(PciId.parse("159b"));
    assertThat(pf.pci().classCode()).isEqualTo(0x020000);
    assertThat(pf.pci().subsystemVendor()).contains(PciId.parse("8086"));
    assertThat(pf.pci().subsystemDevice()).contains(PciId.parse("0000"));
    assertThat(pf.driver()).contains(DriverName.of("ice"));
    assertThat(pf.numaNode()).isEqualTo(OptionalInt.of(0));
    assertThat(pf.pci().acpiIndex()).isEqualTo(OptionalInt.of(1));
    assertThat(pf.pci().iommuGroup()).contains(new IommuGroup(10, false));
    assertThat(pf.role()).isEqualTo(new SriovRole.PhysicalFunction(256, 4));
    assertThat(pf.linkType()).isEqualTo(LinkType.ETHER);
    var nd = pf.netdev().orElseThrow();
    assertThat(nd.name()).isEqualTo(InterfaceName.of("ens1f0"));
    assertThat(nd.mac()).contains(MacAddress.parse("02:00:3b:00:00:00"));
    assertThat(nd.mtu()).isEqualTo(1500);
    assertThat(nd.operState()).isEqualTo(OperState.UP);
    assertThat(nd.carrier()).isTrue();
    assertThat(nd.speedMbps()).isEqualTo(OptionalInt.of(25000));
    assertThat(nd.physPortName()).isEmpty();
    assertThat(nd.physSwitchId()).isEmpty();
    assertThat(pf.rdma().capable()).isFalse();
    assertThat(pf.pKey()).isEmpty(); // no RDMA device: no partition key
  }

  @Test
  void vfAttributes() {
    PciNetDevice vf = net("0000:3c:00.2");
    assertThat(vf.pci().device()).isEqualTo(PciId.parse("1889"));
    assertThat(vf.driver()).contains(DriverName.of("iavf"));
    assertThat(vf.role())
        .isEqualTo(
            new SriovRole.VirtualFunction(
                PciAddress.parse("0000:3b:00.0"),
                VfIndex.of(2),
                Optional.of(InterfaceName.of("ens1f0"))));
    assertThat(vf.pfName()).contains(InterfaceName.of("ens1f0"));
    assertThat(vf.functionIndex()).isEqualTo(OptionalInt.of(2));
    assertThat(vf.netdev().orElseThrow().name()).isEqualTo(InterfaceName.of("ens1f0v2"));
    assertThat(vf.pci().acpiIndex()).isEmpty();
  }

  @Test
  void mellanoxRdmaSwitchIdAndSubFunction() {
    PciNetDevice pf = net("0000:af:00.0");
    assertThat(pf.rdma().devices()).containsExactly("mlx5_0");
    assertThat(pf.numaNode()).isEqualTo(OptionalInt.of(1));
    assertThat(pf.netdev().orElseThrow().physSwitchId()).contains("6c2f9e0003a1b2c4");
    assertThat(pf.netdev().orElseThrow().physPortName()).contains("p0");
    assertThat(pf.pKey()).contains("0xffff");
    assertThat(net("0000:b0:00.1").rdma().devices()).containsExactly("mlx5_2");
    assertThat(net("0000:b0:00.1").pKey()).contains("0xffff");
    AuxNetDevice sf =
        result.devices().stream()
            .filter(d -> d.id().equals("mlx5_core.sf.1"))
            .map(AuxNetDevice.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(sf.auxType()).isEqualTo("sf");
    assertThat(sf.pci().address()).isEqualTo(PciAddress.parse("0000:af:00.0"));
    assertThat(sf.sfIndex()).isEqualTo(OptionalInt.of(1));
    assertThat(sf.pfName()).contains(InterfaceName.of("ens2f0np0"));
    assertThat(sf.auxDriver()).contains(DriverName.of("mlx5_core.sf"));
    assertThat(sf.netdev().orElseThrow().name()).isEqualTo(InterfaceName.of("ens2f0np0s1"));
    assertThat(sf.rdma().devices()).containsExactly("mlx5_sf1");
  }

  @Test
  void acceleratorPfAndVfs() {
    List<AcceleratorDevice> acc =
        result.devices().stream()
            .filter(AcceleratorDevice.class::isInstance)
            .map(AcceleratorDevice.class::cast)
            .toList();
    assertThat(acc).hasSize(3);
    assertThat(acc.get(0).role()).isEqualTo(new SriovRole.PhysicalFunction(16, 2));
    assertThat(acc.get(0).driver()).contains(DriverName.of("4xxx"));
    assertThat(acc.get(1).driver()).contains(DriverName.VFIO_PCI);
    assertThat(acc.get(1).pfAddress()).contains(PciAddress.parse("0000:6b:00.0"));
    assertThat(acc.get(1).functionIndex()).isEqualTo(OptionalInt.of(0));
  }

  @Test
  void singlePfRediscoveryReadsOnlyThatPfItsVfsAndAuxDevices() {
    Result one = new SysfsDeviceDiscovery(node.root()).discoverPf(PciAddress.parse("0000:af:00.0"));
    assertThat(one.skipped()).isEmpty();
    assertThat(one.devices().stream().map(Device::id))
        .containsExactly("0000:af:00.0", "0000:b0:00.0", "0000:b0:00.1", "mlx5_core.sf.1");
  }

  @Test
  void nativeAndNioReadersDiscoverTheSameNode() {
    SysfsDeviceDiscovery nativeReader =
        new SysfsDeviceDiscovery(node.root(), () -> new NativeSysfsReader(Libc.get()));
    SysfsDeviceDiscovery nioReader = new SysfsDeviceDiscovery(node.root(), NioSysfsReader::new);
    Result fromNative = nativeReader.discoverAll();
    assertThat(fromNative.devices()).hasSize(result.devices().size()).isNotEmpty();
    assertThat(nioReader.discoverAll()).isEqualTo(fromNative);
    PciAddress mlx = PciAddress.parse("0000:af:00.0");
    assertThat(nioReader.discoverPf(mlx)).isEqualTo(nativeReader.discoverPf(mlx));
  }
}
