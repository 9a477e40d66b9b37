package io.sriov.simulator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.codec.IfLink;
import io.sriov.netlink.route.BondMode;
import io.sriov.netlink.route.BondOptions;
import io.sriov.netlink.route.FailOverMac;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.MacvlanMode;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.VfStats;
import io.sriov.netlink.route.VfVlan;
import io.sriov.netlink.route.VlanProtocol;
import io.sriov.os.Errno;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The parts of the rtnetlink contract the host kernel cannot check (no SR-IOV PF, no bonding
 * module): VF attributes and bonds on the simulation. The igb expectations are what the e2e Netlink
 * scenario ({@code JavaScenariosE2E.Netlink}) records on the emulated 82576 with the real {@code
 * RtnlClient}: the same two PFs (ifindex 2 and 3), three VFs on PF 0, the same reads and refusals.
 */
class SimulatedVfAndBondTest {
  static final PciAddress PF0 = PciAddress.parse("0000:00:02.0");
  static final PciAddress PF1 = PciAddress.parse("0000:00:04.0");
  static final PciAddress ICE = PciAddress.parse("0000:af:00.0");

  SimulatedNetwork net;
  SimulatedRtnl rtnl;
  int pf0;

  @BeforeEach
  void igbGuest() throws Exception {
    net =
        new SimulatedNetwork(
            List.of(
                HardwareNetdev.pf(
                    InterfaceName.of("eth0"), PF0, "igb", mac("52:54:00:12:34:56"), 1500, 1000, 7),
                HardwareNetdev.pf(
                    InterfaceName.of("eth1"), PF1, "igb", mac("52:54:00:12:34:57"), 1500, 1000, 7),
                HardwareNetdev.pf(
                    InterfaceName.of("ens1f0"),
                    ICE,
                    "ice",
                    mac("b4:96:91:00:00:01"),
                    1500,
                    25000,
                    8)));
    net.setNumVfs(PF0, 3);
    for (int i = 0; i < 3; i++) {
      net.addNetdev(vf(PF0, "igbvf", i, "eth0v" + i), true);
    }
    net.setNumVfs(PF1, 1);
    net.addNetdev(vf(PF1, "igbvf", 0, "eth1v0"), true);
    rtnl = net.open(SimulatedNetwork.HOST);
    pf0 = rtnl.link("eth0").orElseThrow().index();
  }

  static MacAddress mac(String s) {
    return MacAddress.parse(s);
  }

  static HardwareNetdev vf(PciAddress pf, String driver, int i, String name) {
    PciAddress a = vfAddress(pf, i);
    return HardwareNetdev.vf(
        InterfaceName.of(name), a, driver, mac("02:00:00:00:10:0" + i), 1500, 1000, pf, i);
  }

  /** VF {@code i} of {@code pf}: device 0x10 above the PF's, as the guest's 00:12.x for 00:02.0. */
  static PciAddress vfAddress(PciAddress pf, int i) {
    return new PciAddress(0, pf.bus(), 0x10 + pf.device(), i);
  }

  static void refused(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOf(ErrnoException.class).hasMessage(message);
  }

  /** As the e2e scenario prints them: {@code vf mac vlan:qos min max spoofchk trust state}. */
  static List<String> lines(List<VfInfo> vfs) {
    List<String> out = new ArrayList<>();
    for (VfInfo v : vfs) {
      VfVlan vlan = v.vlans().get(0);
      out.add(
          v.vf()
              + " "
              + v.mac()
              + " "
              + vlan.vlan()
              + ":"
              + vlan.qos()
              + " "
              + v.minTxRateMbps()
              + " "
              + v.maxTxRateMbps()
              + " "
              + v.spoofCheck().orElseThrow()
              + " "
              + v.trust().orElseThrow()
              + " "
              + v.linkState());
    }
    return out;
  }

  // ---------------------------------------------------------------- VFs (e2e Netlink scenario)

  @Test
  void igbVfAttributesReadBackAsTheE2eScenarioRecordsThem() throws Exception {
    assertThat(pf0).as("the guest's PF 0 ifindex").isEqualTo(2);
    rtnl.setUp(pf0, true);
    assertThat(rtnl.link(pf0).orElseThrow().carrier()).isTrue();
    rtnl.setVf(
        pf0,
        VfConfig.forVf(VfIndex.of(0))
            .mac(mac("02:11:22:33:44:55"))
            .vlan(VfVlan.of(100, 3))
            .spoofCheck(false)
            .trust(true)
            .build());
    rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).rate(0, 100).build());
    assertThat(lines(rtnl.vfs(pf0, false)))
        .containsExactly(
            "0 02:11:22:33:44:55 100:3 0 0 false true AUTO",
            "1 00:00:00:00:00:00 0:0 0 100 true false AUTO",
            "2 00:00:00:00:00:00 0:0 0 0 true false AUTO");
    rtnl.setVf(
        pf0,
        VfConfig.forVf(VfIndex.of(0))
            .mac(mac("00:00:00:00:00:00"))
            .vlan(VfVlan.of(0, 0))
            .spoofCheck(true)
            .trust(false)
            .build());
    rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).rate(0, 0).build());
    assertThat(lines(rtnl.vfs(pf0, false)))
        .containsExactly(
            "0 00:00:00:00:00:00 0:0 0 0 true false AUTO",
            "1 00:00:00:00:00:00 0:0 0 0 true false AUTO",
            "2 00:00:00:00:00:00 0:0 0 0 true false AUTO");
  }

  @Test
  void igbRefusalsAreTheE2eScenariosMessages() throws Exception {
    rtnl.setUp(pf0, true);
    refused(
        () -> rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).rate(10, 100).build()),
        "RTM_SETLINK PF ifindex 2 vf 1: EINVAL (Invalid argument)");
    refused(
        () -> rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).linkState(VfLinkState.DISABLE).build()),
        "RTM_SETLINK PF ifindex 2 vf 1: EOPNOTSUPP (Operation not supported)");
    refused(
        () -> rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(7)).mac(mac("02:11:22:33:44:66")).build()),
        "RTM_SETLINK PF ifindex 2 vf 7: EINVAL (Invalid argument)");
    refused(
        () -> rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).rate(0, 1001).build()),
        "RTM_SETLINK PF ifindex 2 vf 1: EINVAL (Invalid argument)");
    refused(
        () ->
            rtnl.setVf(
                pf0,
                VfConfig.forVf(VfIndex.of(1))
                    .vlan(new VfVlan(100, 0, VlanProtocol.IEEE_802_1AD))
                    .build()),
        "RTM_SETLINK PF ifindex 2 vf 1: EPROTONOSUPPORT (Protocol not supported)");
    refused(
        () -> rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).mac(mac("01:00:5e:00:00:01")).build()),
        "RTM_SETLINK PF ifindex 2 vf 1: EINVAL (Invalid argument)");
    assertThat(lines(rtnl.vfs(pf0, false)).get(1))
        .isEqualTo("1 00:00:00:00:00:00 0:0 0 0 true false AUTO");
  }

  @Test
  void igbRefusesARateWhileThePfHasNoLink() throws Exception {
    rtnl.setUp(pf0, false);
    refused(
        () -> rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).rate(0, 100).build()),
        "RTM_SETLINK PF ifindex 2 vf 1: EINVAL (Invalid argument)");
    rtnl.setUp(pf0, true);
    net.setCarrier(PF0, false);
    refused(
        () -> rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).rate(0, 100).build()),
        "RTM_SETLINK PF ifindex 2 vf 1: EINVAL (Invalid argument)");
    net.setCarrier(PF0, true);
    rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).rate(0, 100).build());
  }

  @Test
  void attributesBeforeTheRefusedOneStayAppliedAsInTheKernelsOrder() throws Exception {
    refused(
        () ->
            rtnl.setVf(
                pf0,
                VfConfig.forVf(VfIndex.of(2))
                    .mac(mac("02:00:00:00:00:22"))
                    .spoofCheck(false)
                    .linkState(VfLinkState.ENABLE)
                    .trust(true)
                    .build()),
        "RTM_SETLINK PF ifindex 2 vf 2: EOPNOTSUPP (Operation not supported)");
    // do_setvfinfo: mac, vlan, rate, spoofchk, then link state (refused), so trust is never set
    assertThat(lines(rtnl.vfs(pf0, false)).get(2))
        .isEqualTo("2 02:00:00:00:00:22 0:0 0 0 false false AUTO");
  }

  @Test
  void iceAcceptsWhatIgbRefuses() throws Exception {
    int ice = rtnl.link("ens1f0").orElseThrow().index();
    refused(
        () -> rtnl.setVf(ice, VfConfig.forVf(VfIndex.of(0)).trust(true).build()),
        "RTM_SETLINK PF ifindex " + ice + " vf 0: EINVAL (Invalid argument)");
    net.setNumVfs(ICE, 2);
    rtnl.setVf(
        ice,
        VfConfig.forVf(VfIndex.of(0))
            .rate(100, 2000)
            .vlan(new VfVlan(10, 2, VlanProtocol.IEEE_802_1AD))
            .linkState(VfLinkState.DISABLE)
            .build());
    VfInfo v = rtnl.vfs(ice, false).get(0);
    assertThat(v.minTxRateMbps()).isEqualTo(100);
    assertThat(v.maxTxRateMbps()).isEqualTo(2000);
    assertThat(v.vlans()).containsExactly(new VfVlan(10, 2, VlanProtocol.IEEE_802_1AD));
    assertThat(v.linkState()).isEqualTo(VfLinkState.DISABLE);
    assertThat(rtnl.link(ice).orElseThrow().numVfs()).as("only with VF info").isEmpty();
  }

  @Test
  void vfAttributesOnAVfNetdevAreNotSupported() throws Exception {
    int vf0 = rtnl.link("eth0v0").orElseThrow().index();
    refused(
        () -> rtnl.setVf(vf0, VfConfig.forVf(VfIndex.of(0)).trust(true).build()),
        "RTM_SETLINK PF ifindex " + vf0 + " vf 0: EOPNOTSUPP (Operation not supported)");
    assertThat(rtnl.vfs(vf0, true)).isEmpty();
    refused(
        () -> rtnl.setVf(999, VfConfig.forVf(VfIndex.of(0)).trust(true).build()),
        "RTM_SETLINK PF ifindex 999 vf 0: ENODEV (No such device)");
    assertThatThrownBy(() -> rtnl.vfs(0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ifindex must be positive: 0");
  }

  @Test
  void aBatchStopsAtTheFirstRefusedVfAndKeepsTheOnesBefore() throws Exception {
    // do_setlink walks the IFLA_VF_INFO nests in order and returns the first error
    refused(
        () ->
            rtnl.setVfs(
                pf0,
                List.of(
                    VfConfig.forVf(VfIndex.of(0)).mac(mac("02:aa:00:00:00:10")).build(),
                    VfConfig.forVf(VfIndex.of(1)).mac(mac("01:00:5e:00:00:01")).build(),
                    VfConfig.forVf(VfIndex.of(2)).mac(mac("02:aa:00:00:00:12")).build())),
        "RTM_SETLINK PF ifindex 2 vfs 0-2: EINVAL (Invalid argument)");
    assertThat(rtnl.vfs(pf0, false))
        .extracting(VfInfo::mac)
        .containsExactly(
            mac("02:aa:00:00:00:10"), mac("00:00:00:00:00:00"), mac("00:00:00:00:00:00"));
    assertThat(rtnl.link("eth0v0").orElseThrow().mac()).contains(mac("02:aa:00:00:00:10"));

    // a refusal the driver is told to make: only that MAC on that VF
    net.refuseVfMac(PF0, 2, mac("02:aa:00:00:00:12"), Errno.EADDRNOTAVAIL);
    refused(
        () -> rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(2)).mac(mac("02:aa:00:00:00:12")).build()),
        "RTM_SETLINK PF ifindex 2 vf 2: EADDRNOTAVAIL (Cannot assign requested address)");
    rtnl.setVfs(
        pf0,
        List.of(
            VfConfig.forVf(VfIndex.of(1)).mac(mac("02:aa:00:00:00:11")).trust(true).build(),
            VfConfig.forVf(VfIndex.of(2)).mac(mac("02:aa:00:00:00:22")).build()));
    assertThat(lines(rtnl.vfs(pf0, false)))
        .containsExactly(
            "0 02:aa:00:00:00:10 0:0 0 0 true false AUTO",
            "1 02:aa:00:00:00:11 0:0 0 0 true true AUTO",
            "2 02:aa:00:00:00:22 0:0 0 0 true false AUTO");
    assertThat(rtnl.link("eth0v2").orElseThrow().mac()).contains(mac("02:aa:00:00:00:22"));
    PciAddress absent = PciAddress.parse("0000:99:00.0");
    assertThatThrownBy(() -> net.refuseVfMac(absent, 0, mac("02:aa:00:00:00:01"), Errno.EINVAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIMULATION: no netdev for 0000:99:00.0");
  }

  @Test
  void theAdminMacBecomesTheVfNetdevsMac() throws Exception {
    rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).mac(mac("02:aa:00:00:00:01")).build());
    assertThat(rtnl.link("eth0v1").orElseThrow().mac()).contains(mac("02:aa:00:00:00:01"));
    // a VF netdev registered later (driver rebound) takes it too
    PciAddress vf1 = vfAddress(PF0, 1);
    net.removeNetdev(vf1);
    net.addNetdev(vf(PF0, "igbvf", 1, "eth0v1"), true);
    assertThat(rtnl.link("eth0v1").orElseThrow().mac()).contains(mac("02:aa:00:00:00:01"));
    assertThat(rtnl.link("eth0v1").orElseThrow().permanentMac()).contains(mac("02:00:00:00:10:01"));
  }

  @Test
  void theVfCarrierFollowsThePfOrItsLinkState() throws Exception {
    int ice = rtnl.link("ens1f0").orElseThrow().index();
    net.setNumVfs(ICE, 1);
    net.addNetdev(vf(ICE, "iavf", 0, "ens1f0v0"), true);
    int vf = rtnl.link("ens1f0v0").orElseThrow().index();
    rtnl.setUp(ice, true);
    assertThat(rtnl.link(vf).orElseThrow().carrier()).isTrue();
    net.setCarrier(ICE, false);
    assertThat(rtnl.link(vf).orElseThrow().operState()).isEqualTo(OperState.DOWN);
    rtnl.setVf(ice, VfConfig.forVf(VfIndex.of(0)).linkState(VfLinkState.ENABLE).build());
    assertThat(rtnl.link(vf).orElseThrow().carrier()).isTrue();
    rtnl.setVf(ice, VfConfig.forVf(VfIndex.of(0)).linkState(VfLinkState.DISABLE).build());
    net.setCarrier(ICE, true);
    assertThat(rtnl.link(vf).orElseThrow().carrier()).isFalse();
    rtnl.setVf(ice, VfConfig.forVf(VfIndex.of(0)).linkState(VfLinkState.AUTO).build());
    assertThat(rtnl.link(vf).orElseThrow().operState()).isEqualTo(OperState.UP);
  }

  @Test
  void statsOnlyWhenAskedAndNumVfsRecreatesTheTable() throws Exception {
    VfStats traffic = new VfStats(10, 20, 1000, 2000, 1, 2, 0, 0);
    net.setVfStats(PF0, 2, traffic);
    assertThat(rtnl.vfs(pf0, true).get(2).stats()).contains(traffic);
    assertThat(rtnl.vfs(pf0, false).get(2).stats()).isEmpty();
    rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(0)).trust(true).build());
    net.setNumVfs(PF0, 0);
    assertThat(rtnl.vfs(pf0, false)).isEmpty();
    net.setNumVfs(PF0, 2);
    assertThat(lines(rtnl.vfs(pf0, false)).get(0))
        .isEqualTo("0 00:00:00:00:00:00 0:0 0 0 true false AUTO");
    assertThat(rtnl.vfs(pf0, true).get(0).stats()).contains(SimVfTable.NO_TRAFFIC);
  }

  @Test
  void simulationControlsRefuseWhatTheNodeCannotHave() {
    assertThatThrownBy(() -> net.setNumVfs(PF0, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIMULATION: numVfs 8 outside 0-7");
    PciAddress vf0 = vfAddress(PF0, 0);
    assertThatThrownBy(() -> net.setNumVfs(vf0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIMULATION: " + vf0 + " is not an SR-IOV PF");
    PciAddress none = PciAddress.parse("0000:99:00.0");
    assertThatThrownBy(() -> net.setNumVfs(none, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIMULATION: no netdev for 0000:99:00.0");
    assertThatThrownBy(() -> net.setVfStats(PF0, 3, SimVfTable.NO_TRAFFIC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIMULATION: PF 0000:00:02.0 has no VF 3 (numVfs 3)");
    assertThatThrownBy(() -> net.setCarrier(none, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SIMULATION: no netdev for 0000:99:00.0");
  }

  // ---------------------------------------------------------------- bonds

  private Link bond(BondOptions options) throws Exception {
    return rtnl.create(new LinkSpec.Bond(InterfaceName.of("bond1"), options));
  }

  @Test
  void aBondOfTwoVfsOfDifferentPfsAsBondCniBuildsIt() throws Exception {
    net.setCarrier(PF0, true);
    rtnl.setUp(pf0, true);
    rtnl.setUp(rtnl.link("eth1").orElseThrow().index(), true);
    Link bond = bond(BondOptions.builder(BondMode.ACTIVE_BACKUP).miimon(100).build());
    assertThat(bond.kind()).contains("bond");
    assertThat(bond.flags() & SimLink.IFF_MASTER).isNotZero();
    int a = rtnl.link("eth0v2").orElseThrow().index();
    int b = rtnl.link("eth1v0").orElseThrow().index();
    MacAddress aMac = rtnl.link(a).orElseThrow().mac().orElseThrow();
    MacAddress bMac = rtnl.link(b).orElseThrow().mac().orElseThrow();
    refused(
        () -> rtnl.setMaster(a, bond.index()),
        "RTM_SETLINK ifindex "
            + a
            + " master "
            + bond.index()
            + ": EPERM (Operation not permitted): Device can not be enslaved while up");
    for (int slave : List.of(a, b)) {
      rtnl.setUp(slave, false);
      rtnl.setMaster(slave, bond.index());
    }
    rtnl.setUp(bond.index(), true);
    Link slaveA = rtnl.link(a).orElseThrow();
    assertThat(slaveA.master()).hasValue(bond.index());
    assertThat(slaveA.isUp()).as("the bond opens its slaves").isTrue();
    assertThat(slaveA.flags() & SimLink.IFF_SLAVE).isNotZero();
    Link up = rtnl.link(bond.index()).orElseThrow();
    assertThat(up.mac()).as("the first slave's MAC").contains(aMac);
    assertThat(rtnl.link(b).orElseThrow().mac()).as("fail_over_mac none").contains(aMac);
    assertThat(up.operState()).isEqualTo(OperState.UP);
    assertThat(up.isLowerUp()).isTrue();

    rtnl.clearMaster(b);
    Link released = rtnl.link(b).orElseThrow();
    assertThat(released.master()).isEmpty();
    assertThat(released.isUp()).as("released slaves are closed").isFalse();
    assertThat(released.mac()).contains(bMac);
    rtnl.delete(bond.index());
    assertThat(rtnl.link(a).orElseThrow().master()).isEmpty();
    assertThat(rtnl.link("bond1")).isEmpty();
  }

  @Test
  void theBondCarrierNeedsMinLinksSlavesWithCarrier() throws Exception {
    rtnl.setUp(pf0, true);
    Link bond = bond(BondOptions.builder(BondMode.IEEE_802_3AD).minLinks(2).build());
    rtnl.setUp(bond.index(), true);
    assertThat(rtnl.link(bond.index()).orElseThrow().carrier()).as("no slaves").isFalse();
    int a = rtnl.link("eth0v0").orElseThrow().index();
    int b = rtnl.link("eth0v1").orElseThrow().index();
    for (int slave : List.of(a, b)) {
      rtnl.setUp(slave, false);
      rtnl.setMaster(slave, bond.index());
    }
    assertThat(rtnl.link(bond.index()).orElseThrow().carrier()).isTrue();
    rtnl.setVf(pf0, VfConfig.forVf(VfIndex.of(1)).spoofCheck(false).build());
    net.setCarrier(PF0, false);
    assertThat(rtnl.link(bond.index()).orElseThrow().operState()).isEqualTo(OperState.DOWN);
  }

  @Test
  void slavesKeepTheirMacsWhereTheBondDoesNotSetThem() throws Exception {
    int a = rtnl.link("eth0v0").orElseThrow().index();
    int b = rtnl.link("eth0v1").orElseThrow().index();
    MacAddress bMac = rtnl.link(b).orElseThrow().mac().orElseThrow();
    Link ab =
        bond(BondOptions.builder(BondMode.ACTIVE_BACKUP).failOverMac(FailOverMac.ACTIVE).build());
    for (int slave : List.of(a, b)) {
      rtnl.setUp(slave, false);
      rtnl.setMaster(slave, ab.index());
    }
    assertThat(rtnl.link(b).orElseThrow().mac()).contains(bMac);
    rtnl.delete(ab.index());
    Link tlb =
        rtnl.create(
            new LinkSpec.Bond(
                InterfaceName.of("bond2"), BondOptions.builder(BondMode.BALANCE_TLB).build()));
    for (int slave : List.of(a, b)) {
      rtnl.setUp(slave, false);
      rtnl.setMaster(slave, tlb.index());
    }
    assertThat(rtnl.link(b).orElseThrow().mac()).contains(bMac);
  }

  @Test
  void bondRefusals() throws Exception {
    Link bond = bond(BondOptions.builder(BondMode.BALANCE_RR).build());
    refused(
        () -> rtnl.setMaster(bond.index(), bond.index()),
        "RTM_SETLINK ifindex "
            + bond.index()
            + " master "
            + bond.index()
            + ": EPERM (Operation not permitted): Cannot enslave bond to itself.");
    int a = rtnl.link("eth0v0").orElseThrow().index();
    rtnl.create(new LinkSpec.Macvlan(InterfaceName.of("mvb0"), a, MacvlanMode.BRIDGE));
    rtnl.setUp(a, false);
    refused(
        () -> rtnl.setMaster(a, bond.index()),
        "RTM_SETLINK ifindex "
            + a
            + " master "
            + bond.index()
            + ": EBUSY (Device or resource busy): Device is in use and cannot be enslaved");
    java.nio.file.Path pod = java.nio.file.Path.of("/var/run/netns/pod");
    net.createNamespace(pod);
    refused(
        () -> rtnl.moveToNamespace(bond.index(), pod),
        "RTM_SETLINK ifindex "
            + bond.index()
            + " netns /var/run/netns/pod: EINVAL (Invalid argument): The interface netns is"
            + " immutable");
    refused(() -> rtnl.delete(pf0), "RTM_DELLINK ifindex 2: EOPNOTSUPP (Operation not supported)");
  }

  @Test
  void enslavingToAnotherBondMovesTheSlave() throws Exception {
    Link one = bond(BondOptions.builder(BondMode.BALANCE_RR).build());
    Link two =
        rtnl.create(
            new LinkSpec.Bond(
                InterfaceName.of("bond2"), BondOptions.builder(BondMode.BALANCE_RR).build()));
    int a = rtnl.link("eth0v0").orElseThrow().index();
    rtnl.setUp(a, false);
    rtnl.setMaster(a, one.index());
    assertThat(rtnl.link(a).orElseThrow().isUp()).isTrue();
    // do_set_master releases from the first bond (which closes the slave), then enslaves
    rtnl.setMaster(a, two.index());
    assertThat(rtnl.link(a).orElseThrow().master()).hasValue(two.index());
    assertThat(rtnl.link(a).orElseThrow().flags() & IfLink.IFF_UP).isNotZero();
  }

  @Test
  void bondsReportTheirOptionsWithTheDriversDefaultsAsIpDashD() throws Exception {
    Link asked =
        bond(
            BondOptions.builder(BondMode.IEEE_802_3AD)
                .lacpRate(io.sriov.netlink.route.LacpRate.FAST)
                .xmitHashPolicy(io.sriov.netlink.route.XmitHashPolicy.LAYER3_4)
                .build());
    assertThat(asked.bond())
        .contains(
            new BondOptions(
                BondMode.IEEE_802_3AD,
                java.util.OptionalInt.of(100),
                java.util.Optional.of(FailOverMac.NONE),
                java.util.Optional.of(io.sriov.netlink.route.XmitHashPolicy.LAYER3_4),
                java.util.Optional.of(io.sriov.netlink.route.LacpRate.FAST),
                java.util.Optional.of(io.sriov.netlink.route.AdSelect.STABLE),
                java.util.OptionalInt.of(0),
                List.of(),
                java.util.Optional.of(io.sriov.netlink.route.ArpValidate.NONE),
                java.util.OptionalInt.empty(),
                java.util.OptionalInt.of(0),
                java.util.OptionalInt.of(0),
                java.util.OptionalInt.of(0),
                java.util.Optional.of(false),
                java.util.Optional.of(true),
                java.util.OptionalInt.of(1)));
    assertThat(rtnl.link("eth0v0").orElseThrow().bond()).isEmpty();
    Link arp =
        rtnl.create(
            new LinkSpec.Bond(
                InterfaceName.of("bond2"),
                BondOptions.builder(BondMode.ACTIVE_BACKUP).arpInterval(200).build()));
    assertThat(arp.bond().orElseThrow().miimon()).as("ARP monitoring: no MII").hasValue(0);
  }

  @Test
  void theBondSetsItsMtuOnItsSlavesUntilReleased() throws Exception {
    Link bond = bond(BondOptions.builder(BondMode.ACTIVE_BACKUP).miimon(100).build());
    int a = rtnl.link("eth0v0").orElseThrow().index();
    rtnl.setMtu(a, 9000);
    rtnl.setUp(a, false);
    rtnl.setMaster(a, bond.index());
    assertThat(rtnl.link(a).orElseThrow().mtu())
        .as("bond_enslave: the bond's 1500")
        .isEqualTo(1500);
    rtnl.setMtu(bond.index(), 4000);
    assertThat(rtnl.link(a).orElseThrow().mtu()).as("bond_change_mtu").isEqualTo(4000);
    refused(
        () -> rtnl.setMtu(bond.index(), 9500),
        "RTM_SETLINK ifindex "
            + bond.index()
            + " mtu 9500: EINVAL (Invalid argument): mtu greater than device maximum");
    rtnl.clearMaster(a);
    assertThat(rtnl.link(a).orElseThrow().mtu()).as("original_mtu back").isEqualTo(9000);
  }
}
