package io.sriov.daemon.desired;

import static io.sriov.daemon.testing.NodeFixture.ACCELERATOR;
import static io.sriov.daemon.testing.NodeFixture.CX6;
import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.E810_1;
import static io.sriov.daemon.testing.NodeFixture.PLAIN_NIC;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.device.LinkType;
import io.sriov.core.selector.IndexRange;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.VfGroupSpec;
import io.sriov.daemon.testing.NodeFixture;
import io.sriov.netlink.devlink.EswitchMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeStateValidatorTest {
  // Validation reads the node and never changes it: one simulated node for the class.
  @TempDir static Path dir;
  static NodeFixture f;

  @BeforeAll
  static void setUp() {
    f = new NodeFixture(dir);
  }

  private List<String> errors(NodeStateSpec spec) {
    try {
      f.validate(spec);
    } catch (InvalidNodeStateException e) {
      return e.errors();
    }
    throw new AssertionError("expected the spec to be rejected");
  }

  private List<String> errors(InterfaceSpec i) {
    return errors(spec(i));
  }

  private static InterfaceSpec iface(
      String pci, int numVfs, int mtu, String linkType, String eswitch, VfGroupSpec... groups) {
    return new InterfaceSpec(pci, numVfs, mtu, "", linkType, eswitch, List.of(groups), false);
  }

  private static VfGroupSpec g(
      String resource, String type, String range, int mtu, boolean rdma, String vdpa) {
    return new VfGroupSpec(resource, type, range, "p", mtu, rdma, vdpa);
  }

  @Test
  void validSpecBecomesTheDesiredNode() {
    DesiredNode d =
        f.validate(
            spec(
                iface(
                    "0000:3b:00.0",
                    8,
                    9000,
                    "eth",
                    "",
                    g("net", "", "0-3", 9000, true, ""),
                    g("dpdk", "vfio-pci", "4-7", 0, false, "")),
                iface("0000:af:00.0", 4, 0, "ETH", "switchdev"),
                iface("0000:d8:00.0", 2, 0, "IB", "")));
    assertThat(d.pfs()).hasSize(3);
    DesiredPf e810 = d.pfs().get(0);
    assertThat(e810.pciAddress()).isEqualTo(E810_0);
    assertThat(e810.numVfs()).isEqualTo(8);
    assertThat(e810.mtu()).isEqualTo(OptionalInt.of(9000));
    assertThat(e810.linkType()).contains(LinkType.ETHER);
    assertThat(e810.groups())
        .extracting(DesiredVfGroup::deviceType, DesiredVfGroup::range, DesiredVfGroup::isRdma)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(VfDeviceType.NETDEVICE, new IndexRange(0, 3), true),
            org.assertj.core.groups.Tuple.tuple(
                VfDeviceType.VFIO_PCI, new IndexRange(4, 7), false));
    assertThat(e810.groupOf(5).orElseThrow().resourceName().value()).isEqualTo("dpdk");
    assertThat(d.pfs().get(1).eswitchMode()).contains(EswitchMode.SWITCHDEV);
    assertThat(d.pfs().get(2).linkType()).contains(LinkType.INFINIBAND);
  }

  @Test
  void malformedPciAddress() {
    assertThat(errors(iface("0000:3b:00", 1, 0, "", "")))
        .containsExactly(
            "spec.interfaces[0]: pciAddress: PCI address \"0000:3b:00\": expected the form dddd:bb:dd.f (e.g. 0000:af:06.0)");
  }

  @Test
  void unknownPciAddress() {
    assertThat(errors(iface("0000:99:00.0", 1, 0, "", "")))
        .containsExactly(
            "spec.interfaces[0] 0000:99:00.0: pciAddress 0000:99:00.0: no such PCI device on this node");
  }

  @Test
  void pciAddressListedTwice() {
    assertThat(errors(spec(pf(E810_1, 1), pf(E810_0, 1), pf(E810_1, 2))))
        .containsExactly(
            "spec.interfaces[2] 0000:3b:00.1: pciAddress 0000:3b:00.1: listed twice (also spec.interfaces[0])");
  }

  @Test
  void vfIsNotAPf() {
    assertThat(errors(iface("0000:3c:00.1", 1, 0, "", "")))
        .containsExactly(
            "spec.interfaces[0] 0000:3c:00.1: pciAddress 0000:3c:00.1: a VF (virtfn1 of 0000:3b:00.0), not a PF");
  }

  @Test
  void nicWithoutSriov() {
    assertThat(errors(pf(PLAIN_NIC, 1)))
        .containsExactly(
            "spec.interfaces[0] 0000:5e:00.0: pciAddress 0000:5e:00.0: not SR-IOV capable (no sriov_totalvfs)");
  }

  @Test
  void acceleratorIsNotANetworkPf() {
    assertThat(errors(pf(ACCELERATOR, 1)))
        .containsExactly(
            "spec.interfaces[0] 0000:6b:00.0: pciAddress 0000:6b:00.0: not a network device (class 0x120000)");
  }

  @Test
  void numVfsNegativeOrAboveTotal() {
    assertThat(errors(pf(E810_0, -1)))
        .containsExactly("spec.interfaces[0] 0000:3b:00.0: numVfs -1: must not be negative");
    assertThat(errors(pf(E810_0, 17)))
        .containsExactly("spec.interfaces[0] 0000:3b:00.0: numVfs 17: above sriov_totalvfs 16");
  }

  @Test
  void badPfMtu() {
    assertThat(errors(iface("0000:3b:00.0", 1, 67, "", "")))
        .containsExactly("spec.interfaces[0] 0000:3b:00.0: mtu 67: outside 68-65535");
    assertThat(errors(iface("0000:3b:00.0", 1, 65536, "", "")))
        .containsExactly("spec.interfaces[0] 0000:3b:00.0: mtu 65536: outside 68-65535");
    assertThat(errors(iface("0000:3b:00.0", 1, -9000, "", "")))
        .containsExactly("spec.interfaces[0] 0000:3b:00.0: mtu -9000: outside 68-65535");
  }

  @Test
  void unknownOrMismatchedLinkType() {
    assertThat(errors(iface("0000:3b:00.0", 1, 0, "ethernet", "")))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: linkType \"ethernet\": expected eth, ETH, ib or IB");
    assertThat(errors(iface("0000:3b:00.0", 1, 0, "Eth", "")))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: linkType \"Eth\": expected eth, ETH, ib or IB");
    assertThat(errors(iface("0000:3b:00.0", 1, 0, "ib", "")))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: linkType ib: the PF's link type is ether (this daemon does not change link types)");
  }

  @Test
  void unknownOrImpossibleEswitchMode() {
    assertThat(errors(iface("0000:af:00.0", 1, 0, "", "Switchdev")))
        .containsExactly(
            "spec.interfaces[0] 0000:af:00.0: eSwitchMode \"Switchdev\": expected legacy or switchdev");
    assertThat(errors(iface("0000:d8:00.0", 1, 0, "", "switchdev")))
        .containsExactly(
            "spec.interfaces[0] 0000:d8:00.0: eSwitchMode switchdev: needs an Ethernet PF (link type infiniband)");
  }

  @Test
  void groupResourceName() {
    assertThat(errors(pf(E810_0, 2, g("", "", "0-1", 0, false, ""))))
        .containsExactly("spec.interfaces[0] 0000:3b:00.0: vfGroups[0].resourceName: required");
    assertThat(errors(pf(E810_0, 2, g("a/b", "", "0-1", 0, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0].resourceName: resource name \"a/b\": \"/\" is not allowed (letters, digits, '_' and '-' only)");
  }

  @Test
  void groupDeviceType() {
    assertThat(errors(pf(E810_0, 2, g("r", "netDevice", "0-1", 0, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0].deviceType \"netDevice\": expected netdevice or vfio-pci");
  }

  @Test
  void groupVfRangeMalformed() {
    assertThat(errors(pf(E810_0, 8, g("r", "", "", 0, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0].vfRange: required (first-last, e.g. 0-7)");
    assertThat(errors(pf(E810_0, 8, g("r", "", "0-x", 0, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0].vfRange \"0-x\": index \"x\" in range \"0-x\" is not a decimal number");
    assertThat(errors(pf(E810_0, 8, g("r", "", "5-2", 0, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0].vfRange \"5-2\": range 5-2 is reversed");
    assertThat(errors(pf(E810_0, 8, g("r", "", "0-1,3", 0, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0].vfRange \"0-1,3\": expected one range first-last");
  }

  @Test
  void groupVfRangeOutsideNumVfs() {
    assertThat(errors(pf(E810_0, 8, g("r", "", "4-8", 0, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0].vfRange 4-8: outside the PF's VFs 0-7 (numVfs 8)");
    assertThat(errors(pf(E810_0, 0, g("r", "", "0-0", 0, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0].vfRange 0: the PF gets no VFs (numVfs 0)");
  }

  @Test
  void overlappingGroups() {
    assertThat(
            errors(
                pf(
                    E810_0,
                    8,
                    g("a", "", "0-3", 0, false, ""),
                    g("b", "", "4-5", 0, false, ""),
                    g("c", "vfio-pci", "3-4", 0, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[2].vfRange 3-4: overlaps vfGroups[0].vfRange 0-3",
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[2].vfRange 3-4: overlaps vfGroups[1].vfRange 4-5");
  }

  @Test
  void vfioWithRdmaOrVdpa() {
    assertThat(errors(pf(E810_0, 2, g("r", "vfio-pci", "0-1", 0, true, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0]: deviceType vfio-pci with isRdma true: RDMA needs the kernel VF driver");
    assertThat(errors(pf(E810_0, 2, g("r", "vfio-pci", "0-1", 0, false, "vhost"))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0]: deviceType vfio-pci with vdpaType vhost: vDPA needs the kernel VF driver");
  }

  @Test
  void vdpaType() {
    assertThat(errors(pf(CX6, 2, g("r", "", "0-1", 0, false, "virtio-net"))))
        .containsExactly(
            "spec.interfaces[0] 0000:af:00.0: vfGroups[0].vdpaType \"virtio-net\": expected virtio or vhost");
    assertThat(errors(pf(CX6, 2, g("r", "", "0-1", 0, false, "virtio"))))
        .containsExactly(
            "spec.interfaces[0] 0000:af:00.0: vfGroups[0].vdpaType virtio: vDPA devices are not created by this daemon (not supported)");
  }

  @Test
  void groupMtu() {
    assertThat(errors(pf(E810_0, 2, g("r", "", "0-1", 50, false, ""))))
        .containsExactly("spec.interfaces[0] 0000:3b:00.0: vfGroups[0].mtu 50: outside 68-65535");
    // PF MTU 1500 and not raised: a 9000 VF MTU cannot work
    assertThat(errors(pf(E810_0, 2, g("r", "", "0-1", 9000, false, ""))))
        .containsExactly(
            "spec.interfaces[0] 0000:3b:00.0: vfGroups[0].mtu 9000: above the PF's MTU 1500 (a VF cannot exceed its PF; raise the interface's mtu)");
    // raised with the PF: fine; on vfio-pci the group MTU is not applied, as upstream
    f.validate(spec(iface("0000:3b:00.0", 2, 9000, "", "", g("r", "", "0-1", 9000, false, ""))));
    f.validate(spec(pf(E810_0, 2, g("r", "vfio-pci", "0-1", 9000, false, ""))));
  }

  @Test
  void unsupportedBridgesAndRdmaMode() {
    NodeStateSpec s =
        new NodeStateSpec(
            List.of(pf(E810_0, 1)),
            Map.of("ovs", List.of(Map.of("name", "br-0000_3b_00.0"))),
            Map.of("rdmaMode", "exclusive", "ovsConfig", Map.of("hw-offload", "true")));
    assertThat(errors(s))
        .containsExactly(
            "spec.bridges.ovs: managed OVS bridges are not supported by this daemon",
            "spec.system.rdmaMode \"exclusive\": not supported by this daemon (the RDMA netns mode is a host setting)");
    // the CRD default system.ovsConfig alone is fine
    f.validate(new NodeStateSpec(List.of(pf(E810_0, 1)), Map.of(), Map.of("ovsConfig", Map.of())));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    InvalidNodeStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidNodeStateException.class,
            () -> f.validate(spec(pf(E810_0, 99), pf(PLAIN_NIC, 1))));
    assertThat(e.getMessage())
        .isEqualTo(
            "invalid SriovNetworkNodeState (2 errors):\n"
                + "  spec.interfaces[0] 0000:3b:00.0: numVfs 99: above sriov_totalvfs 16\n"
                + "  spec.interfaces[1] 0000:5e:00.0: pciAddress 0000:5e:00.0: not SR-IOV capable (no sriov_totalvfs)");
    assertThatThrownBy(() -> f.validate(spec(pf(E810_0, 99))))
        .hasMessage(
            "invalid SriovNetworkNodeState: spec.interfaces[0] 0000:3b:00.0: numVfs 99: above sriov_totalvfs 16");
  }
}
