package io.sriov.cni.sriov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sriov.cni.plugin.CniLog;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RouteSpec;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.VfVlan;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.netlink.SimulatedNetwork;
import io.sriov.sysfs.SysfsRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The VF logic on the SIMULATED node (builtin topology: ice PF ens1f0, iavf VFs ens1f0v0-3). */
class SriovVfEngineTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final CniLog LOG = CniLog.toStderr(System.err, java.time.Clock.systemUTC());
  static final PciAddress VF0 = PciAddress.parse("0000:3c:00.0");
  static final PciAddress VF1 = PciAddress.parse("0000:3c:00.1");
  static final Path POD = Path.of("/var/run/netns/pod-a");
  static final Path POD_B = Path.of("/var/run/netns/pod-b");
  static final InterfaceName NET1 = InterfaceName.of("net1");
  static final String FULL =
      "\"vlan\":100,\"vlanQoS\":3,\"mac\":\"02:11:22:33:44:55\",\"spoofchk\":\"off\","
          + "\"trust\":\"on\",\"link_state\":\"enable\",\"min_tx_rate\":10,\"max_tx_rate\":1000";

  @TempDir Path dir;
  SimulatedNode node;
  SimulatedNetwork network;
  StateDir state;
  List<String> sysctls;
  VfInfo originalVf0;
  Link originalNetdev0;

  @BeforeEach
  void open() throws Exception {
    node = SimulatedNode.builtIn(dir.resolve("node"));
    network = node.network();
    network.createNamespace(POD);
    network.createNamespace(POD_B);
    state = new StateDir(dir.resolve("state"));
    sysctls = new ArrayList<>();
    try (RtnlOperations host = network.openHost()) {
      // a VF that was configured before: ADD must put exactly this back
      host.setVf(
          pfIndex(host),
          VfConfig.forVf(io.sriov.core.value.VfIndex.of(0)).vlan(VfVlan.of(7, 1)).build());
      originalVf0 = vf(host, 0);
      originalNetdev0 = host.link("ens1f0v0").orElseThrow();
    }
  }

  @AfterEach
  void close() {
    node.close();
  }

  SriovVfEngine engine() {
    return engine(network);
  }

  SriovVfEngine engine(RtnlNamespaces namespaces) {
    NetnsSysctls recorder =
        (netns, key, value) -> {
          sysctls.add(netns + " " + key + "=" + value);
          return true;
        };
    return new SriovVfEngine(
        new VfLocator(node.root()), namespaces, recorder, state, Duration.ZERO);
  }

  static ObjectNode netconf(PciAddress vf, String fields) throws Exception {
    return (ObjectNode)
        JSON.readTree(
            "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"type\":\"sriov\",\"deviceID\":\""
                + vf
                + "\""
                + (fields.isEmpty() ? "" : "," + fields)
                + "}");
  }

  Attachment attach(SriovVfEngine e, String cid, Path netns, PciAddress vf, String fields)
      throws Exception {
    ObjectNode n = netconf(vf, fields);
    return e.attach(LOG, cid, NET1, netns, n, SriovNetConf.parse(n, Optional.empty()));
  }

  SriovVfEngine.Released release(SriovVfEngine e, String cid, Optional<Path> netns, PciAddress vf)
      throws Exception {
    return e.release(
        LOG, cid, NET1, netns, SriovNetConf.parse(netconf(vf, FULL), Optional.empty()));
  }

  static int pfIndex(RtnlOperations host) throws Exception {
    return host.link("ens1f0").orElseThrow().index();
  }

  VfInfo vf(RtnlOperations host, int n) throws Exception {
    return host.vfs(pfIndex(host), false).get(n);
  }

  VfInfo vf0() throws Exception {
    try (RtnlOperations host = network.openHost()) {
      return vf(host, 0);
    }
  }

  Optional<Link> inHost(String name) throws Exception {
    try (RtnlOperations host = network.openHost()) {
      return host.link(name);
    }
  }

  Optional<Link> inPod(Path pod, String name) throws Exception {
    try (RtnlOperations ops = network.open(pod)) {
      return ops.link(name);
    }
  }

  /** The VF as it was before ADD: PF-side state, host name, MAC, MTU; no state files. */
  void assertRestored() throws Exception {
    assertThat(vf0()).isEqualTo(originalVf0);
    Link l = inHost("ens1f0v0").orElseThrow();
    assertThat(l.mac()).isEqualTo(originalNetdev0.mac());
    assertThat(l.mtu()).isEqualTo(originalNetdev0.mtu());
    assertThat(l.altNames()).doesNotContain("net1", "sriov-host-ens1f0v0");
    assertThat(inPod(POD, "net1")).isEmpty();
    assertThat(state.caches()).isEmpty();
    assertThat(state.allocatedNetns(VF0)).isEmpty();
  }

  @Test
  void addConfiguresThePfSideMovesTheVfAndSavesTheOriginalFirst() throws Exception {
    Attachment a = attach(engine(), "c1", POD, VF0, FULL);

    VfInfo v = vf0();
    assertThat(v.vlans()).containsExactly(VfVlan.of(100, 3));
    assertThat(v.mac()).isEqualTo(MacAddress.parse("02:11:22:33:44:55"));
    assertThat(v.spoofCheck()).contains(false);
    assertThat(v.trust()).contains(true);
    assertThat(v.linkState()).isEqualTo(VfLinkState.ENABLE);
    assertThat(v.minTxRateMbps()).isEqualTo(10);
    assertThat(v.maxTxRateMbps()).isEqualTo(1000);

    assertThat(inHost("ens1f0v0")).isEmpty();
    Link pod = inPod(POD, "net1").orElseThrow();
    assertThat(pod.parentDeviceName()).contains(VF0.toString());
    assertThat(pod.altNames())
        .as("the host name travels with the VF, for a DEL without cache")
        .containsExactly("sriov-host-ens1f0v0");
    assertThat(pod.mac()).contains(MacAddress.parse("02:11:22:33:44:55"));
    assertThat(pod.isUp()).as("up only with the IP configuration").isFalse();
    assertThat(a.podIndex()).hasValue(pod.index());
    assertThat(a.mac()).contains(MacAddress.parse("02:11:22:33:44:55"));
    assertThat(a.mtu()).isEqualTo(1500);
    assertThat(sysctls)
        .containsExactly(
            POD + " net/ipv4/conf/net1/arp_notify=1",
            POD + " net/ipv6/conf/net1/ndisc_notify=1",
            POD + " net/ipv6/conf/net1/optimistic_dad=1");

    Path cache = state.cache("c1", "net1");
    assertThat(Files.getPosixFilePermissions(cache))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    var c = JSON.readTree(cache.toFile());
    assertThat(c.path("deviceID").asText()).isEqualTo(VF0.toString());
    assertThat(c.path("Master").asText()).isEqualTo("ens1f0");
    assertThat(c.path("VFID").asInt()).isZero();
    assertThat(c.path("DPDKMode").asBoolean()).isFalse();
    assertThat(c.path("OrigVfState").path("HostIFName").asText()).isEqualTo("ens1f0v0");
    assertThat(c.path("OrigVfState").path("Vlan").asInt()).isEqualTo(7);
    assertThat(c.path("OrigVfState").path("VlanQoS").asInt()).isEqualTo(1);
    assertThat(c.path("OrigVfState").path("EffectiveMAC").asText())
        .isEqualTo(originalNetdev0.mac().orElseThrow().toString());
    assertThat(c.path("max_tx_rate").asInt()).as("the netconf itself").isEqualTo(1000);
    assertThat(Files.readString(state.allocation(VF0))).isEqualTo(POD.toString());
  }

  @Test
  void ipConfigurationAddsAddressesThenUpThenRoutes() throws Exception {
    SriovVfEngine e = engine();
    Attachment a = attach(e, "c1", POD, VF0, "");
    IpPrefix addr = IpPrefix.parse("192.0.2.10/24");
    RouteSpec route =
        RouteSpec.via(IpPrefix.parse("198.51.100.0/24"), IpPrefix.parseAddress("192.0.2.1"), 0);
    e.configureIp(a, List.of(addr), List.of(route));
    try (RtnlOperations pod = network.open(POD)) {
      Link l = pod.link("net1").orElseThrow();
      assertThat(l.isUp()).isTrue();
      assertThat(pod.addresses(l.index())).extracting(x -> x.prefix()).containsExactly(addr);
      assertThat(pod.routes(false, 254))
          .anySatisfy(
              r -> assertThat(r.destination()).isEqualTo(IpPrefix.parse("198.51.100.0/24")));
    }
    assertThat(
            e.check(
                e.cache(LOG, "c1", NET1).orElseThrow(), Optional.of(POD), a.mac(), List.of(addr)))
        .isEmpty();
  }

  @Test
  void anAddOpensThePodsSocketOnceTheAttachmentKeepsItForTheIpConfiguration() throws Exception {
    List<Path> opened = new ArrayList<>();
    RtnlNamespaces counting =
        new RtnlNamespaces() {
          @Override
          public Path hostNamespace() {
            return network.hostNamespace();
          }

          @Override
          public RtnlOperations open(Path namespace) throws NetlinkException {
            opened.add(namespace);
            return network.open(namespace);
          }
        };
    SriovVfEngine e = engine(counting);
    IpPrefix addr = IpPrefix.parse("192.0.2.10/24");
    try (Attachment a = attach(e, "c1", POD, VF0, "")) {
      assertThat(a.pod()).isPresent();
      e.configureIp(a, List.of(addr), List.of());
    }
    assertThat(opened).filteredOn(POD::equals).hasSize(1);
    try (RtnlOperations pod = network.open(POD)) {
      Link l = pod.link("net1").orElseThrow();
      assertThat(l.isUp()).isTrue();
      assertThat(pod.addresses(l.index())).extracting(x -> x.prefix()).containsExactly(addr);
    }
  }

  /** The network, with the pod's namespace refusing to be entered ({@code setns}: EINVAL). */
  RtnlNamespaces podNotEnterable(boolean stillANamespace) {
    return new RtnlNamespaces() {
      @Override
      public Path hostNamespace() {
        return network.hostNamespace();
      }

      @Override
      public RtnlOperations open(Path namespace) throws NetlinkException {
        if (namespace.equals(POD)) {
          throw new io.sriov.netlink.ErrnoException("setns " + namespace, io.sriov.os.Errno.EINVAL);
        }
        return network.open(namespace);
      }

      @Override
      public boolean exists(Path namespace) {
        return namespace.equals(POD) ? stillANamespace : network.exists(namespace);
      }
    };
  }

  @Test
  void aDelWhosePodCannotBeEnteredFailsNamingItAndKeepsTheCache() throws Exception {
    attach(engine(), "c1", POD, VF0, "").close();
    SriovVfEngine e = engine(podNotEnterable(true));
    assertThatThrownBy(() -> release(e, "c1", Optional.of(POD), VF0))
        .isInstanceOf(VfConfigException.class)
        .hasMessageContaining("VF netdev not returned to the host")
        .hasMessageContaining("EINVAL");
    assertThat(state.caches()).hasSize(1);
    assertThat(inPod(POD, "net1")).isPresent();
  }

  @Test
  void aDelWhosePodFileIsNoNamespaceAnyMoreWaitsForTheKernelToGiveTheVfBack() throws Exception {
    attach(engine(), "c1", POD, VF0, "").close();
    SriovVfEngine e = engine(podNotEnterable(false));
    // the VF stays in the pod here (no kernel to return it): the wait ends naming both places
    assertThatThrownBy(() -> release(e, "c1", Optional.of(POD), VF0))
        .isInstanceOf(VfConfigException.class)
        .hasMessageContaining("is neither in the host nor in " + POD);
    assertThat(state.caches()).hasSize(1);
  }

  @Test
  void delRestoresEverythingAndIsIdempotent() throws Exception {
    SriovVfEngine e = engine();
    Attachment a = attach(e, "c1", POD, VF0, FULL);
    e.configureIp(a, List.of(IpPrefix.parse("192.0.2.10/24")), List.of());
    assertThat(release(e, "c1", Optional.of(POD), VF0)).isEqualTo(SriovVfEngine.Released.RESTORED);
    assertRestored();
    // a second DEL (and a third) succeeds: no cache, the VF is in the host, nothing to move
    assertThat(release(e, "c1", Optional.of(POD), VF0))
        .isEqualTo(SriovVfEngine.Released.RESET_WITHOUT_CACHE);
    assertThat(inHost("ens1f0v0")).isPresent();
    assertThat(release(e, "c1", Optional.empty(), VF0))
        .isEqualTo(SriovVfEngine.Released.RESET_WITHOUT_CACHE);
  }

  @Test
  void delOfAnAddThatSetNothingOnThePfSideRestoresWithoutAHostReadAfterTheMove() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, "").close();
    assertThat(inPod(POD, "net1").orElseThrow().altNames()).contains("sriov-host-ens1f0v0");
    assertThat(release(e, "c1", Optional.of(POD), VF0)).isEqualTo(SriovVfEngine.Released.RESTORED);
    // the marker went in the pod before the move; MAC and MTU were never changed
    assertRestored();
  }

  @Test
  void aCacheThatChangedBetweenTheReadAndTheLockIsParsedAgain() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, FULL).close();
    SriovVfEngine.CacheRead before = e.readCache(LOG, "c1", NET1, Optional.of(POD)).orElseThrow();
    // rewritten meanwhile (as by another path's ADD): the original vlan now reads 9, not 7
    Path file = state.cache("c1", "net1");
    String json = Files.readString(file);
    assertThat(json).contains("\"Vlan\":7");
    Files.writeString(file, json.replace("\"Vlan\":7", "\"Vlan\":9"));
    assertThat(
            e.release(
                LOG,
                "c1",
                NET1,
                Optional.of(POD),
                SriovNetConf.parse(netconf(VF0, FULL), Optional.empty()),
                Optional.of(before)))
        .isEqualTo(SriovVfEngine.Released.RESTORED);
    assertThat(vf0().vlans()).containsExactly(VfVlan.of(9, 1));
  }

  @Test
  void theLocateTriesTheHintedIndexAndWalksWhenItIsWrong() {
    VfLocator locator = new VfLocator(node.root());
    VfDevice walked = locator.locate(VF1);
    assertThat(walked.index().value()).isEqualTo(1);
    for (int hint : new int[] {1, 0, 3, 99}) {
      assertThat(locator.locate(VF1, Optional.of(io.sriov.core.value.VfIndex.of(hint))))
          .as("hint %d", hint)
          .isEqualTo(walked);
    }
  }

  @Test
  void theIndexTheLocatorRemembersIsCheckedAndWalkedPastWhenTheVfsWereRenumbered()
      throws Exception {
    VfLocator locator = new VfLocator(node.root());
    assertThat(locator.locate(VF1).index().value()).isEqualTo(1); // remembered: 1
    // the PF's virtfn0 and virtfn1 swap (the VFs recreated in another order)
    Path pfDir = node.root().pciDevice(locator.locate(VF1).pf());
    Path l0 = pfDir.resolve("virtfn0");
    Path l1 = pfDir.resolve("virtfn1");
    Path t0 = Files.readSymbolicLink(l0);
    Path t1 = Files.readSymbolicLink(l1);
    Files.delete(l0);
    Files.delete(l1);
    Files.createSymbolicLink(l0, t1);
    Files.createSymbolicLink(l1, t0);
    assertThat(locator.locate(VF1).index().value()).isEqualTo(0);
    assertThat(locator.locate(VF0).index().value()).isEqualTo(1);
    assertThat(locator.locate(VF1).index().value()).isEqualTo(0); // remembered anew
  }

  @Test
  void delAfterTheNetnsIsGoneRestoresTheVfTheKernelGaveBack() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, FULL);
    network.deleteNamespace(POD); // the pod's netns vanished before DEL (upstream #126)
    assertThat(inHost("net1")).as("the kernel gives hardware netdevs back").isPresent();
    assertThat(release(e, "c1", Optional.of(POD), VF0)).isEqualTo(SriovVfEngine.Released.RESTORED);
    network.createNamespace(POD);
    assertRestored();
  }

  @Test
  void delWithAnEmptyNetnsAsContainerdSendsItStillRestores() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, FULL);
    network.deleteNamespace(POD);
    assertThat(release(e, "c1", Optional.empty(), VF0)).isEqualTo(SriovVfEngine.Released.RESTORED);
    network.createNamespace(POD);
    assertRestored();
  }

  @Test
  void delWithoutCacheResetsTheRequestedPfSideAttributesAndReturnsTheVf() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, FULL);
    Files.delete(state.cache("c1", "net1")); // wiped cache (upstream then resets nothing: C3)
    assertThat(release(e, "c1", Optional.of(POD), VF0))
        .isEqualTo(SriovVfEngine.Released.RESET_WITHOUT_CACHE);
    VfInfo v = vf0();
    assertThat(v.vlans()).containsExactly(VfVlan.of(0, 0));
    assertThat(v.spoofCheck()).contains(true);
    assertThat(v.trust()).contains(false);
    assertThat(v.linkState()).isEqualTo(VfLinkState.AUTO);
    assertThat(v.maxTxRateMbps()).isZero();
    assertThat(inPod(POD, "net1")).isEmpty();
    assertThat(inHost("net1")).isEmpty();
    Link back = inHost("ens1f0v0").orElseThrow(); // its name from the altname ADD gave it
    assertThat(back.altNames()).doesNotContain("net1", "sriov-host-ens1f0v0");
    assertThat(back.isUp()).isFalse();
    assertThat(state.allocatedNetns(VF0)).isEmpty();
  }

  @Test
  void delWithoutCacheAfterTheNetnsIsGoneRenamesTheVfTheKernelGaveBack() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, FULL);
    Files.delete(state.cache("c1", "net1"));
    network.deleteNamespace(POD);
    assertThat(inHost("net1")).isPresent();
    assertThat(release(e, "c1", Optional.of(POD), VF0))
        .isEqualTo(SriovVfEngine.Released.RESET_WITHOUT_CACHE);
    assertThat(inHost("net1")).isEmpty();
    assertThat(inHost("ens1f0v0").orElseThrow().altNames())
        .doesNotContain("net1", "sriov-host-ens1f0v0");
  }

  @Test
  void delWithoutCacheOrAltnameReturnsTheVfUnderItsPodName() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, FULL);
    Files.delete(state.cache("c1", "net1"));
    try (RtnlOperations pod = network.open(POD)) {
      // attached by upstream's sriov-cni or an earlier version: nothing records the host name
      pod.deleteAltName(pod.link("net1").orElseThrow().index(), "sriov-host-ens1f0v0");
    }
    assertThat(release(e, "c1", Optional.of(POD), VF0))
        .isEqualTo(SriovVfEngine.Released.RESET_WITHOUT_CACHE);
    assertThat(inHost("net1")).as("its old name was recorded nowhere").isPresent();
  }

  @Test
  void anUnreadableCacheIsDroppedAndDelStillSucceeds() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, "");
    Files.write(state.cache("c1", "net1"), new byte[0]); // power loss (C8)
    assertThat(release(e, "c1", Optional.of(POD), VF0))
        .isEqualTo(SriovVfEngine.Released.RESET_WITHOUT_CACHE);
    assertThat(Files.exists(state.cache("c1", "net1"))).isFalse();
  }

  @Test
  void aSecondPodCannotTakeAVfAStillLivePodHolds() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, "");
    assertThatThrownBy(() -> attach(e, "c2", POD_B, VF0, ""))
        .isInstanceOf(VfAllocatedException.class)
        .hasMessage("pci address 0000:3c:00.0 is already allocated");
    assertThat(inPod(POD, "net1")).isPresent();
    assertThat(state.readCache("c2", "net1")).isEmpty();
  }

  @Test
  void aStaleAllocationWhoseNetnsIsGoneIsReleasedAndTheOldDelLeavesTheNewPodAlone()
      throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, "\"vlan\":10");
    network.deleteNamespace(POD); // pod A's netns is gone, its DEL has not come yet
    Attachment b = attach(e, "c2", POD_B, VF0, "\"vlan\":20");
    assertThat(inPod(POD_B, "net1")).isPresent();
    assertThat(Files.readString(state.allocation(VF0))).isEqualTo(POD_B.toString());
    // pod A's late DEL must not reset the VF pod B now holds (upstream #219)
    assertThat(release(e, "c1", Optional.of(POD), VF0))
        .isEqualTo(SriovVfEngine.Released.HELD_BY_ANOTHER_POD);
    assertThat(vf0().vlans()).containsExactly(VfVlan.of(20, 0));
    assertThat(inPod(POD_B, "net1")).isPresent();
    assertThat(b.ifName()).isEqualTo(NET1);
  }

  @Test
  void anInterfaceNameTakenInThePodIsRefusedBeforeAnyChange() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF1, "");
    assertThatThrownBy(() -> attach(e, "c2", POD, VF0, FULL))
        .isInstanceOf(InvalidNetConfException.class)
        .hasMessage("interface net1 already exists in " + POD);
    assertThat(vf0()).isEqualTo(originalVf0);
    assertThat(state.readCache("c2", "net1")).isEmpty();
  }

  @Test
  void notAVfAndMissingDevicesAreNamed() throws Exception {
    SriovVfEngine e = engine();
    assertThatThrownBy(() -> attach(e, "c1", POD, PciAddress.parse("0000:3b:00.0"), ""))
        .isInstanceOf(InvalidNetConfException.class)
        .hasMessage(
            "deviceID 0000:3b:00.0: not a VF (no /sys/bus/pci/devices/0000:3b:00.0/physfn)");
    assertThatThrownBy(() -> attach(e, "c1", POD, PciAddress.parse("0000:99:00.0"), ""))
        .isInstanceOf(InvalidNetConfException.class)
        .hasMessage(
            "deviceID 0000:99:00.0: no such PCI device (/sys/bus/pci/devices/0000:99:00.0)");
  }

  @Test
  void aVfWithoutNetdevOrDpdkDriverIsRefused() throws Exception {
    SysfsRoot root = node.root();
    node.kernel()
        .write(root.pciDriverUnbind(DriverName.of("iavf")), VF0.toString(), Duration.ofSeconds(5));
    assertThatThrownBy(() -> attach(engine(), "c1", POD, VF0, ""))
        .isInstanceOf(InvalidNetConfException.class)
        .hasMessage(
            "the VF 0000:3c:00.0 does not have a interface name or a dpdk driver (driver none)");
  }

  /** driver_override, unbind from iavf, bind to vfio-pci: VF 0 loses its netdev (DPDK mode). */
  void bindVf0ToVfio() throws Exception {
    SysfsRoot root = node.root();
    Duration t = Duration.ofSeconds(5);
    node.kernel().write(root.pciAttribute(VF0, "driver_override"), "vfio-pci", t);
    node.kernel().write(root.pciDriverUnbind(DriverName.of("iavf")), VF0.toString(), t);
    node.kernel().write(root.pciDriverBind(DriverName.VFIO_PCI), VF0.toString(), t);
  }

  @Test
  void dpdkVfIsConfiguredOnThePfOnlyAndCachedAsDpdk() throws Exception {
    bindVf0ToVfio();
    SriovVfEngine e = engine();
    Attachment a = attach(e, "c1", POD, VF0, FULL);
    assertThat(a.dpdk()).isTrue();
    assertThat(a.mac()).contains(MacAddress.parse("02:11:22:33:44:55"));
    assertThat(a.mtu()).as("the PF's MTU").isEqualTo(1500);
    assertThat(vf0().vlans()).containsExactly(VfVlan.of(100, 3));
    assertThat(inPod(POD, "net1")).isEmpty();
    assertThat(sysctls).isEmpty();
    assertThat(JSON.readTree(state.cache("c1", "net1").toFile()).path("DPDKMode").asBoolean())
        .isTrue();
    assertThat(release(e, "c1", Optional.of(POD), VF0)).isEqualTo(SriovVfEngine.Released.RESTORED);
    assertThat(vf0()).isEqualTo(originalVf0);
    assertThat(state.caches()).isEmpty();
  }

  @Test
  void dpdkVfReportsTheAdminMacOnlyWhenSet() throws Exception {
    bindVf0ToVfio();
    assertThat(vf0().mac().isZero()).isTrue();
    assertThat(attach(engine(), "c1", POD, VF0, "").mac()).isEmpty();
  }

  /** Every step of ADD that talks to the kernel, refused: ADD fails and leaves nothing behind. */
  @ParameterizedTest
  @CsvSource({
    "setVf,1", // vlan
    "setVf,3", // rate
    "setVf,4", // spoofchk
    "setVf,5", // trust
    "setVf,6", // link state
    "moveToNamespace,1", // host -> pod, renamed on the way: refused, nothing moved
  })
  void everyRefusedAddStepIsRolledBack(String method, int nth) throws Exception {
    SriovVfEngine failing = engine(Faults.failing(network, method, nth));
    assertThatThrownBy(() -> attach(failing, "c1", POD, VF0, FULL))
        .hasMessageContaining("SIMULATED");
    assertThat(vf0()).isEqualTo(originalVf0);
    assertThat(inHost("ens1f0v0")).isPresent();
    assertThat(inPod(POD, "net1")).isEmpty();
    assertThat(state.caches()).isEmpty();
    assertThat(state.allocatedNetns(VF0)).isEmpty();
  }

  @Test
  void aMacRefusedOnceIsRetriedAsUpstreamDoes() throws Exception {
    attach(engine(Faults.failing(network, "setVf", 2)), "c1", POD, VF0, FULL);
    assertThat(vf0().mac()).isEqualTo(MacAddress.parse("02:11:22:33:44:55"));
    attach(
        engine(Faults.failing(network, "setMac", 1)),
        "c2",
        POD_B,
        VF1,
        "\"mac\":\"02:00:00:00:00:07\"");
    assertThat(inPod(POD_B, "net1").orElseThrow().mac())
        .contains(MacAddress.parse("02:00:00:00:00:07"));
  }

  @ParameterizedTest
  @CsvSource({
    "setVf,2,21,'ip link set ens1f0 vf 0 mac 02:11:22:33:44:55: failed 20 times, last: SIMULATED setVf: EIO (Input/output error)'",
    "setMac,1,20,'SIMULATED setMac: EIO (Input/output error)'",
  })
  void aMacRefusedEveryTimeFailsAddAndIsRolledBack(String method, int from, int to, String message)
      throws Exception {
    SriovVfEngine failing = engine(Faults.failingCalls(network, method, from, to));
    assertThatThrownBy(() -> attach(failing, "c1", POD, VF0, FULL)).hasMessage(message);
    assertRestored();
  }

  /**
   * An interface of the pod name created in the pod after the plugin's check and before the move (a
   * race with another process): the kernel moves the VF under its host name and refuses the rename;
   * the VF goes straight back to the host under its name and ADD fails naming the clash, with
   * nothing left behind.
   */
  @Test
  void aPodNameTakenDuringTheMoveSendsTheVfBackAndFailsAdd() throws Exception {
    RtnlNamespaces racing = net1CreatedInThePodJustBeforeTheMove();
    assertThatThrownBy(() -> attach(engine(racing), "c1", POD, VF0, FULL))
        .isInstanceOf(InvalidNetConfException.class)
        .hasMessage(
            "interface net1 already exists in "
                + POD
                + " (it appeared while the VF ens1f0v0 was moved in; the VF was moved back to the"
                + " host)")
        .hasRootCauseMessage(
            "RTM_SETLINK ifindex "
                + originalNetdev0.index()
                + " netns "
                + POD
                + " name net1: EEXIST (File exists)");
    assertThat(inPod(POD, "net1").orElseThrow().parentDeviceName())
        .as("the other interface is left alone")
        .isEmpty();
    assertThat(inPod(POD, "ens1f0v0")).isEmpty();
    deleteOther();
    assertRestored();
  }

  /** Another process creating {@code net1} in the pod between ADD's check and its move. */
  private RtnlNamespaces net1CreatedInThePodJustBeforeTheMove() {
    return Faults.racing(
        network,
        "moveToNamespace",
        1,
        () -> {
          try (RtnlOperations pod = network.open(POD)) {
            pod.create(
                new io.sriov.netlink.route.LinkSpec.Veth(
                    InterfaceName.of("net1"), InterfaceName.of("other0")));
          }
        });
  }

  private void deleteOther() throws Exception {
    try (RtnlOperations pod = network.open(POD)) {
      pod.delete(pod.link("net1").orElseThrow().index());
    }
  }

  /**
   * The same race with the process dying before the VF is moved back: it is in the pod under its
   * host name beside the other interface of the pod name; DEL finds it by its PCI address and
   * restores it, leaving the other interface alone.
   */
  @Test
  void aCrashAfterAMoveWhoseRenameFailedIsUndoneByDel() throws Exception {
    RtnlNamespaces racing = net1CreatedInThePodJustBeforeTheMove();
    RtnlNamespaces crashingBack = Faults.crashing(racing, "moveToNamespace", 2);
    assertThatThrownBy(() -> attach(engine(crashingBack), "c1", POD, VF0, FULL))
        .isInstanceOf(Faults.Crash.class);
    assertThat(inPod(POD, "ens1f0v0")).as("moved, not renamed, not moved back").isPresent();
    assertThat(release(engine(), "c1", Optional.of(POD), VF0))
        .isEqualTo(SriovVfEngine.Released.RESTORED);
    assertThat(inPod(POD, "net1").orElseThrow().parentDeviceName()).isEmpty();
    deleteOther();
    assertRestored();
  }

  /**
   * The sysctls, written on the pod visit's thread beside the host-name altname, refused: ADD fails
   * naming the write, after that step's end, and everything is undone (the VF back from the pod).
   */
  @Test
  void aRefusedSysctlBesideTheAltnameFailsAddAndIsRolledBack() throws Exception {
    NetnsSysctls refusing =
        (netns, key, value) -> {
          sysctls.add(netns + " " + key + "=" + value);
          throw new java.io.UncheckedIOException(
              "sysctl " + key + "=" + value + " in " + netns + ": EPERM",
              new java.io.IOException("EPERM"));
        };
    SriovVfEngine e =
        new SriovVfEngine(new VfLocator(node.root()), network, refusing, state, Duration.ZERO);
    assertThatThrownBy(() -> attach(e, "c1", POD, VF0, FULL))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessage("sysctl net/ipv4/conf/net1/arp_notify=1 in " + POD + ": EPERM");
    assertThat(sysctls).containsExactly(POD + " net/ipv4/conf/net1/arp_notify=1");
    assertRestored();
  }

  /**
   * A cache that cannot be written fails ADD naming it, before the allocation and before anything
   * of the VF is changed.
   */
  @Test
  void aStateFileThatCannotBeWrittenLeavesNeitherFileAndNoChange() throws Exception {
    Path blocker = state.cache("c1", "net1");
    Files.createDirectories(blocker.resolve("in-the-way"));
    try {
      assertThatThrownBy(() -> attach(engine(), "c1", POD, VF0, FULL))
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageStartingWith("writing " + blocker + ": ");
      assertThat(state.allocatedNetns(VF0))
          .as("the allocation written beside it removed")
          .isEmpty();
      assertThat(vf0()).isEqualTo(originalVf0);
      assertThat(inHost("ens1f0v0")).isPresent();
      assertThat(sysctls).isEmpty();
    } finally {
      Files.delete(blocker.resolve("in-the-way"));
      Files.delete(blocker);
    }
    attach(engine(), "c1", POD, VF0, FULL);
    assertThat(Files.readString(state.allocation(VF0))).isEqualTo(POD.toString());
  }

  @Test
  void aFailureAfterAttachUndoesTheWholeAdd() throws Exception {
    SriovVfEngine e = engine();
    Attachment a = attach(e, "c1", POD, VF0, FULL);
    Exception ipamFailed = new IllegalStateException("IPAM failed");
    e.detachAfterFailure(LOG, a, ipamFailed);
    assertThat(ipamFailed.getSuppressed()).isEmpty();
    assertRestored();
  }

  /**
   * {@code kill -9} at each ADD step: the plugin's own rollback never runs; the runtime's DEL then
   * restores the VF as it was before ADD, from the host or from the pod.
   */
  @ParameterizedTest
  @CsvSource({
    "vfs,2", // after the cache: reading the PF back after the first attribute... (first vfs =
    // snapshot)
    "setVf,1",
    "setVf,4",
    "setVf,6",
    "moveToNamespace,1", // before the move: the VF in the host
    "addAltName,1", // after the move and rename: the VF in the pod, without the marker
    "setMac,1",
    "link,5", // the pod's link read after the move: in the pod under its pod name, no marker yet
  })
  void aCrashAtAnyAddStepIsUndoneByDel(String method, int nth) throws Exception {
    SriovVfEngine crashing = engine(Faults.crashing(network, method, nth));
    assertThatThrownBy(() -> attach(crashing, "c1", POD, VF0, FULL))
        .isInstanceOf(Faults.Crash.class);
    // a fresh process runs DEL
    assertThat(release(engine(), "c1", Optional.of(POD), VF0))
        .isIn(SriovVfEngine.Released.RESTORED, SriovVfEngine.Released.RESET_WITHOUT_CACHE);
    assertRestored();
  }

  @Test
  void checkReportsEveryDifference() throws Exception {
    SriovVfEngine e = engine();
    Attachment a = attach(e, "c1", POD, VF0, FULL);
    IpPrefix addr = IpPrefix.parse("192.0.2.10/24");
    e.configureIp(a, List.of(addr), List.of());
    SriovCache c = e.cache(LOG, "c1", NET1).orElseThrow();
    try (RtnlOperations host = network.openHost()) {
      host.setVf(
          pfIndex(host),
          VfConfig.forVf(io.sriov.core.value.VfIndex.of(0))
              .vlan(VfVlan.of(5, 0))
              .trust(false)
              .build());
    }
    try (RtnlOperations pod = network.open(POD)) {
      pod.deleteAddress(a.podIndex().getAsInt(), addr);
    }
    assertThat(
            e.check(
                c,
                Optional.of(POD),
                Optional.of(MacAddress.parse("02:00:00:00:00:09")),
                List.of(addr)))
        .containsExactly(
            "VF 0 on ens1f0 has not vlan 100 qos 3 (reads vlan 5 qos 0)",
            "VF 0 on ens1f0 has not trust on",
            "interface net1 has MAC 02:11:22:33:44:55, not 02:00:00:00:00:09",
            "interface net1 lacks address 192.0.2.10/24");
    network.deleteNamespace(POD);
    network.createNamespace(POD);
    assertThat(e.check(c, Optional.of(POD), Optional.empty(), List.of()))
        .contains("interface net1 is not in " + POD);
  }

  @Test
  void aCacheUpstreamWroteIsReadByDel() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c1", POD, VF0, "\"vlan\":100");
    // rewrite the cache as upstream sriov-cni writes it: no DPDKMode, no identity block
    ObjectNode c = (ObjectNode) JSON.readTree(state.cache("c1", "net1").toFile());
    c.remove("DPDKMode");
    c.remove("sriovNodeStack");
    Files.write(state.cache("c1", "net1"), JSON.writeValueAsBytes(c));
    assertThat(release(e, "c1", Optional.of(POD), VF0)).isEqualTo(SriovVfEngine.Released.RESTORED);
    assertRestored();
  }

  @Test
  void gcListsTheCaches() throws Exception {
    SriovVfEngine e = engine();
    attach(e, "c-1", POD, VF0, "");
    attach(e, "c-2", POD_B, VF1, "");
    assertThat(e.caches(LOG))
        .extracting(SriovCache::containerId, x -> x.ifName().value(), SriovCache::deviceId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c-1", "net1", VF0),
            org.assertj.core.groups.Tuple.tuple("c-2", "net1", VF1));
    Files.writeString(state.root().resolve("junk-net1"), "{", StandardCharsets.UTF_8);
    assertThat(e.caches(LOG)).hasSize(2);
  }
}
