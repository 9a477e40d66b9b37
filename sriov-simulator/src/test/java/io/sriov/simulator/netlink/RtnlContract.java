package io.sriov.simulator.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.device.OperState;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.codec.Rtnetlink;
import io.sriov.netlink.route.Address;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.MacvlanMode;
import io.sriov.netlink.route.Route;
import io.sriov.netlink.route.RouteSpec;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link RtnlNamespaces} and {@link RtnlOperations} do, run against the real kernel ({@code
 * KernelRtnlContractIT}, veth pairs and bridges in throwaway namespaces) and against the simulation
 * ({@code SimulatedRtnlContractTest}): links, renames, up/down and carrier, MTU, MAC, altnames,
 * moves between namespaces, bridges, macvlans, addresses, routes, VF requests on a link without
 * VFs, and the exact error of every refusal. VFs and bonds need hardware and the bonding module:
 * {@code SimulatedVfAndBondTest} pins the simulation to what the e2e Netlink scenario records on
 * igb.
 */
abstract class RtnlContract {

  /** The implementation under test. */
  protected abstract RtnlNamespaces namespaces();

  /** Creates a fresh namespace (only lo, down) and returns its path. */
  protected abstract Path createNamespace(String suffix) throws Exception;

  protected abstract void deleteNamespace(Path namespace) throws Exception;

  private final List<Path> created = new ArrayList<>();
  protected Path nsA;
  protected RtnlOperations rtnl;

  @BeforeEach
  void openNamespace() throws Exception {
    nsA = newNamespace("a");
    rtnl = namespaces().open(nsA);
  }

  @AfterEach
  void deleteNamespaces() throws Exception {
    if (rtnl != null) {
      rtnl.close();
    }
    for (Path p : created) {
      deleteNamespace(p);
    }
  }

  protected Path newNamespace(String suffix) throws Exception {
    Path p = createNamespace(suffix);
    created.add(p);
    return p;
  }

  private Link veth(String a, String b) throws Exception {
    return rtnl.create(new LinkSpec.Veth(InterfaceName.of(a), InterfaceName.of(b)));
  }

  private int index(RtnlOperations ops, String name) throws Exception {
    return ops.link(name).orElseThrow().index();
  }

  /**
   * The oper state {@code index} reaches within 5 s: the kernel derives it in its linkwatch work
   * (asynchronous, rate-limited to once a second per link), the simulation at once.
   */
  private OperState operStateSettling(int index, OperState wanted) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    OperState now = rtnl.link(index).orElseThrow().operState();
    while (now != wanted && System.nanoTime() < deadline) {
      Thread.sleep(20);
      now = rtnl.link(index).orElseThrow().operState();
    }
    return now;
  }

  private static void refused(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOf(ErrnoException.class).hasMessage(message);
  }

  // ---------------------------------------------------------------- links

  @Test
  void aFreshNamespaceHasOnlyLoopbackDown() throws Exception {
    List<Link> links = rtnl.links();
    assertThat(links).hasSize(1);
    Link lo = links.get(0);
    assertThat(lo.index()).isEqualTo(1);
    assertThat(lo.name().value()).isEqualTo("lo");
    assertThat(lo.isUp()).isFalse();
    assertThat(lo.operState()).isEqualTo(OperState.DOWN);
    assertThat(lo.mtu()).isEqualTo(65536);
    assertThat(lo.kind()).isEmpty();
    rtnl.setUp(1, true);
    assertThat(operStateSettling(1, OperState.UNKNOWN)).isEqualTo(OperState.UNKNOWN);
    assertThat(rtnl.link(1).orElseThrow().carrier()).isTrue();
  }

  @Test
  void aVethPairIsCreatedDownEachEndTheOthersParent() throws Exception {
    Link a = veth("ct0", "ct1");
    Link b = rtnl.link("ct1").orElseThrow();
    assertThat(a.name().value()).isEqualTo("ct0");
    assertThat(a.kind()).contains("veth");
    assertThat(a.isUp()).isFalse();
    assertThat(a.operState()).isEqualTo(OperState.DOWN);
    assertThat(a.carrier()).isFalse();
    assertThat(a.mtu()).isEqualTo(1500);
    assertThat(a.parent()).hasValue(b.index());
    assertThat(b.parent()).hasValue(a.index());
    assertThat(a.linkNetnsId()).isEmpty();
    assertThat(a.mac().orElseThrow().isMulticast()).isFalse();
    assertThat(a.permanentMac()).isEmpty();
    assertThat(a.parentBusName()).isEmpty();
    assertThat(rtnl.links()).extracting(l -> l.name().value()).containsExactly("lo", "ct1", "ct0");
    assertThat(b.index()).as("the kernel registers the peer first").isLessThan(a.index());
    assertThat(rtnl.link(a.index())).contains(a);
  }

  @Test
  void lookupsOfMissingLinksAreEmptyAndBadArgumentsAreRefusedBeforeTheKernel() throws Exception {
    assertThat(rtnl.link("nosuchlink0")).isEmpty();
    assertThat(rtnl.link(999_999)).isEmpty();
    assertThatThrownBy(() -> rtnl.link(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ifindex must be positive: 0");
    assertThatThrownBy(() -> rtnl.link("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("link name \"a/b\": must be 1-127 characters without '/'");
    assertThatThrownBy(() -> rtnl.link(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("link name \"\": must be 1-127 characters without '/'");
  }

  @Test
  void carrierAndOperStateFollowTheVethPeer() throws Exception {
    Link a = veth("car0", "car1");
    int b = index(rtnl, "car1");
    rtnl.setUp(a.index(), true);
    Link alone = rtnl.link(a.index()).orElseThrow();
    assertThat(alone.isUp()).isTrue();
    assertThat(alone.carrier()).isFalse();
    assertThat(operStateSettling(a.index(), OperState.LOWERLAYERDOWN))
        .isEqualTo(OperState.LOWERLAYERDOWN);
    rtnl.setUp(b, true);
    Link both = rtnl.link(a.index()).orElseThrow();
    assertThat(both.carrier()).isTrue();
    assertThat(both.isLowerUp()).isTrue();
    assertThat(operStateSettling(a.index(), OperState.UP)).isEqualTo(OperState.UP);
    rtnl.setUp(b, false);
    assertThat(operStateSettling(a.index(), OperState.LOWERLAYERDOWN))
        .isEqualTo(OperState.LOWERLAYERDOWN);
    assertThat(operStateSettling(b, OperState.DOWN)).isEqualTo(OperState.DOWN);
  }

  @Test
  void mtuWithinTheDeviceRange() throws Exception {
    Link a = veth("mtu0", "mtu1");
    rtnl.setMtu(a.index(), 1400);
    assertThat(rtnl.link(a.index()).orElseThrow().mtu()).isEqualTo(1400);
    rtnl.setMtu(a.index(), 68);
    rtnl.setMtu(a.index(), 65535);
    refused(
        () -> rtnl.setMtu(a.index(), 67),
        "RTM_SETLINK ifindex "
            + a.index()
            + " mtu 67: EINVAL (Invalid argument): mtu less than device minimum");
    refused(
        () -> rtnl.setMtu(a.index(), 65536),
        "RTM_SETLINK ifindex "
            + a.index()
            + " mtu 65536: EINVAL (Invalid argument): mtu greater than device maximum");
    assertThat(rtnl.link(a.index()).orElseThrow().mtu()).isEqualTo(65535);
    assertThatThrownBy(() -> rtnl.setMtu(a.index(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MTU must be positive: 0");
  }

  @Test
  void macMustBeUnicastAndNotZero() throws Exception {
    Link a = veth("mac0", "mac1");
    MacAddress mac = MacAddress.parse("02:00:5e:10:20:30");
    rtnl.setMac(a.index(), mac);
    assertThat(rtnl.link(a.index()).orElseThrow().mac()).contains(mac);
    refused(
        () -> rtnl.setMac(a.index(), MacAddress.parse("01:00:5e:00:00:01")),
        "RTM_SETLINK ifindex "
            + a.index()
            + " address 01:00:5e:00:00:01: EADDRNOTAVAIL (Cannot assign requested address)");
    refused(
        () -> rtnl.setMac(a.index(), MacAddress.parse("00:00:00:00:00:00")),
        "RTM_SETLINK ifindex "
            + a.index()
            + " address 00:00:00:00:00:00: EADDRNOTAVAIL (Cannot assign requested address)");
    assertThat(rtnl.link(a.index()).orElseThrow().mac()).contains(mac);
  }

  @Test
  void renamesDownOrUpButNeverOntoANameOrAltNameInUse() throws Exception {
    Link a = veth("ren0", "ren1");
    rtnl.rename(a.index(), InterfaceName.of("renamed0"));
    assertThat(rtnl.link("renamed0").orElseThrow().index()).isEqualTo(a.index());
    assertThat(rtnl.link("ren0")).isEmpty();
    // Linux 6.2 allows renaming an up link (older kernels: EBUSY, SimulatedVfAndBondTest).
    rtnl.setUp(a.index(), true);
    rtnl.rename(a.index(), InterfaceName.of("renamed1"));
    assertThat(rtnl.link(a.index()).orElseThrow().name().value()).isEqualTo("renamed1");
    refused(
        () -> rtnl.rename(a.index(), InterfaceName.of("ren1")),
        "RTM_SETLINK ifindex " + a.index() + " name ren1: EEXIST (File exists)");
    rtnl.addAltName(index(rtnl, "ren1"), "ren1-alt");
    refused(
        () -> rtnl.rename(a.index(), InterfaceName.of("ren1-alt")),
        "RTM_SETLINK ifindex " + a.index() + " name ren1-alt: EEXIST (File exists)");
    rtnl.rename(a.index(), InterfaceName.of("renamed1"));
    refused(
        () -> rtnl.rename(999_999, InterfaceName.of("x")),
        "RTM_SETLINK ifindex 999999 name x: ENODEV (No such device)");
  }

  @Test
  void altNamesAreUniqueInTheNamespace() throws Exception {
    Link a = veth("alt0", "alt1");
    String longName = "a-very-long-alternative-name-for-alt0";
    rtnl.addAltName(a.index(), longName);
    assertThat(rtnl.link(a.index()).orElseThrow().altNames()).containsExactly(longName);
    assertThat(rtnl.link(longName).orElseThrow().index()).isEqualTo(a.index());
    int b = index(rtnl, "alt1");
    refused(
        () -> rtnl.addAltName(b, longName),
        "RTM_NEWLINKPROP ifindex " + b + " altname " + longName + ": EEXIST (File exists)");
    refused(
        () -> rtnl.addAltName(b, "alt0"),
        "RTM_NEWLINKPROP ifindex " + b + " altname alt0: EEXIST (File exists)");
    refused(
        () -> rtnl.deleteAltName(a.index(), "nosuch"),
        "RTM_DELLINKPROP ifindex "
            + a.index()
            + " altname nosuch: ENOENT (No such file or directory)");
    rtnl.deleteAltName(a.index(), longName);
    assertThat(rtnl.link(a.index()).orElseThrow().altNames()).isEmpty();
    assertThat(rtnl.link(longName)).isEmpty();
    assertThatThrownBy(() -> rtnl.addAltName(a.index(), "x".repeat(128)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "alternative name \"" + "x".repeat(128) + "\": must be 1-127 characters without '/'");
  }

  @Test
  void unknownLinksAndLinksThatCannotBeDeleted() throws Exception {
    refused(
        () -> rtnl.setUp(999_999, true), "RTM_SETLINK ifindex 999999 up: ENODEV (No such device)");
    refused(
        () -> rtnl.setMtu(999_999, 1500),
        "RTM_SETLINK ifindex 999999 mtu 1500: ENODEV (No such device)");
    refused(() -> rtnl.delete(999_999), "RTM_DELLINK ifindex 999999: ENODEV (No such device)");
    refused(() -> rtnl.delete(1), "RTM_DELLINK ifindex 1: EOPNOTSUPP (Operation not supported)");
    refused(() -> veth("lo", "err1"), "RTM_NEWLINK lo type veth: EEXIST (File exists)");
    veth("err0", "err1");
    refused(() -> veth("err2", "err0"), "RTM_NEWLINK err2 type veth: EEXIST (File exists)");
    assertThat(rtnl.link("err2")).isEmpty();
  }

  @Test
  void moreRefusalsOfLinkRequests() throws Exception {
    Link a = veth("more0", "more1");
    int b = index(rtnl, "more1");
    refused(() -> rtnl.setUp(0, true), "RTM_SETLINK ifindex 0 up: EINVAL (Invalid argument)");
    rtnl.addAltName(b, "more1-alt");
    refused(
        () -> rtnl.deleteAltName(a.index(), "more1-alt"),
        "RTM_DELLINKPROP ifindex " + a.index() + " altname more1-alt: EINVAL (Invalid argument)");
    refused(
        () -> rtnl.deleteAltName(a.index(), "more0"),
        "RTM_DELLINKPROP ifindex " + a.index() + " altname more0: EINVAL (Invalid argument)");
    refused(
        () -> rtnl.create(new LinkSpec.Macvlan(InterfaceName.of("mvlo"), 1, MacvlanMode.BRIDGE)),
        "RTM_NEWLINK mvlo type macvlan: EINVAL (Invalid argument)");
    Link br = rtnl.create(new LinkSpec.Bridge(InterfaceName.of("morebr")));
    rtnl.setMaster(b, br.index());
    refused(
        () -> rtnl.create(new LinkSpec.Macvlan(InterfaceName.of("mvp"), b, MacvlanMode.BRIDGE)),
        "RTM_NEWLINK mvp type macvlan: EBUSY (Device or resource busy)");
  }

  @Test
  void anAltNameTakenInTheTargetNamespaceRefusesTheMove() throws Exception {
    Path nsB = newNamespace("b");
    Link a = veth("an0", "an1");
    rtnl.addAltName(a.index(), "shared-altname");
    try (RtnlOperations inB = namespaces().open(nsB)) {
      Link other = inB.create(new LinkSpec.Veth(InterfaceName.of("bn0"), InterfaceName.of("bn1")));
      inB.addAltName(other.index(), "shared-altname");
    }
    refused(
        () -> rtnl.moveToNamespace(a.index(), nsB),
        "RTM_SETLINK ifindex "
            + a.index()
            + " netns "
            + nsB
            + ": EEXIST (File exists): An interface with the altname shared-altname exists in the"
            + " target netns");
  }

  @Test
  void deletingOneEndOfAVethDeletesBoth() throws Exception {
    Link a = veth("del0", "del1");
    rtnl.delete(a.index());
    assertThat(rtnl.link("del0")).isEmpty();
    assertThat(rtnl.link("del1")).isEmpty();
  }

  // ---------------------------------------------------------------- namespaces

  @Test
  void aLinkMovesToAnotherNamespaceAndBack() throws Exception {
    Path nsB = newNamespace("b");
    Link a = veth("mov0", "mov1");
    int b = index(rtnl, "mov1");
    rtnl.setUp(b, true);
    rtnl.addAddress(b, IpPrefix.parse("192.0.2.7/24"), false);
    rtnl.moveToNamespace(b, nsB);
    assertThat(rtnl.link("mov1")).isEmpty();
    assertThat(rtnl.link(a.index()).orElseThrow().linkNetnsId()).isPresent();
    try (RtnlOperations inB = namespaces().open(nsB)) {
      Link moved = inB.link("mov1").orElseThrow();
      assertThat(moved.index()).as("a free ifindex is kept").isEqualTo(b);
      assertThat(moved.isUp()).as("moving closes the link").isFalse();
      assertThat(moved.parent()).hasValue(a.index());
      assertThat(moved.linkNetnsId()).isPresent();
      assertThat(inB.addresses(moved.index())).as("addresses stay behind").isEmpty();
      assertThat(inB.links()).extracting(l -> l.name().value()).containsExactly("lo", "mov1");
      inB.moveToNamespace(moved.index(), nsA);
      assertThat(inB.link("mov1")).isEmpty();
    }
    assertThat(rtnl.link("mov1").orElseThrow().linkNetnsId()).isEmpty();
  }

  @Test
  void aNamespaceHoldsARenameAndDestroysItsVirtualLinksWhenDeleted() throws Exception {
    Link a = veth("tmp0", "tmp1");
    int b = index(rtnl, "tmp1");
    Path other = createNamespace("t");
    try {
      rtnl.moveToNamespace(b, other);
      assertThat(rtnl.link("tmp1")).isEmpty();
      try (RtnlOperations inOther = namespaces().open(other)) {
        assertThat(inOther.links()).extracting(l -> l.name().value()).containsExactly("lo", "tmp1");
        inOther.rename(b, InterfaceName.of("tmp0"));
        assertThat(inOther.link("tmp0").orElseThrow().index())
            .as("a name taken in the other namespace is free here")
            .isEqualTo(b);
      }
    } finally {
      deleteNamespace(other);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (rtnl.link(a.index()).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(20); // the kernel destroys a namespace asynchronously (cleanup_net)
    }
    assertThat(rtnl.link(a.index())).as("the veth went with the namespace").isEmpty();
  }

  @Test
  void movesThatTheKernelRefuses() throws Exception {
    Path nsB = newNamespace("b");
    refused(
        () -> rtnl.moveToNamespace(1, nsB),
        "RTM_SETLINK ifindex 1 netns "
            + nsB
            + ": EINVAL (Invalid argument): The interface netns is immutable");
    Link br = rtnl.create(new LinkSpec.Bridge(InterfaceName.of("mbr0")));
    refused(
        () -> rtnl.moveToNamespace(br.index(), nsB),
        "RTM_SETLINK ifindex "
            + br.index()
            + " netns "
            + nsB
            + ": EINVAL (Invalid argument): The interface netns is immutable");
    Link a = veth("same0", "same1");
    try (RtnlOperations inB = namespaces().open(nsB)) {
      inB.create(new LinkSpec.Veth(InterfaceName.of("same0"), InterfaceName.of("other0")));
    }
    refused(
        () -> rtnl.moveToNamespace(a.index(), nsB),
        "RTM_SETLINK ifindex "
            + a.index()
            + " netns "
            + nsB
            + ": EEXIST (File exists): An interface with the same name exists in the target netns");
    Path missing = nsB.resolveSibling(nsB.getFileName() + "-missing");
    refused(
        () -> rtnl.moveToNamespace(a.index(), missing),
        "open netns " + missing + ": ENOENT (No such file or directory)");
    assertThat(rtnl.link("same0")).isPresent();
  }

  @Test
  void aBridgePortThatMovesAwayLeavesItsBridge() throws Exception {
    Path nsB = newNamespace("b");
    Link br = rtnl.create(new LinkSpec.Bridge(InterfaceName.of("lbr0")));
    Link a = veth("lv0", "lv1");
    rtnl.setMaster(a.index(), br.index());
    rtnl.moveToNamespace(a.index(), nsB);
    try (RtnlOperations inB = namespaces().open(nsB)) {
      assertThat(inB.link("lv0").orElseThrow().master()).isEmpty();
    }
  }

  @Test
  void deletingABridgeReleasesItsPorts() throws Exception {
    Link br = rtnl.create(new LinkSpec.Bridge(InterfaceName.of("dbr0")));
    Link a = veth("dp0", "dp1");
    rtnl.setMaster(a.index(), br.index());
    rtnl.delete(br.index());
    assertThat(rtnl.link(a.index()).orElseThrow().master()).isEmpty();
  }

  @Test
  void aDeletedNamespaceTakesItsVethsAndTheirPeersWithIt() throws Exception {
    Path nsB = createNamespace("gone");
    Link a = veth("gone0", "gone1");
    rtnl.moveToNamespace(index(rtnl, "gone1"), nsB);
    deleteNamespace(nsB);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (rtnl.link(a.index()).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(50); // the kernel dismantles namespaces in a work queue
    }
    assertThat(rtnl.link("gone0")).isEmpty();
  }

  @Test
  void openingAMissingNamespaceIsEnoent() {
    Path missing = nsA.resolveSibling(nsA.getFileName() + "-missing");
    refused(
        () -> namespaces().open(missing),
        "open netns " + missing + ": ENOENT (No such file or directory)");
  }

  @Test
  void theHostNamespaceOpensAndIsNotATestNamespace() throws Exception {
    veth("only-in-a0", "only-in-a1");
    try (RtnlOperations host = namespaces().open(namespaces().hostNamespace())) {
      assertThat(host.link("lo")).isPresent();
      assertThat(host.link("only-in-a0")).isEmpty();
    }
  }

  // ---------------------------------------------------------------- masters

  @Test
  void bridgePortsComeAndGoAndTheBridgeCarrierFollowsThem() throws Exception {
    Link br = rtnl.create(new LinkSpec.Bridge(InterfaceName.of("br0")));
    assertThat(br.kind()).contains("bridge");
    rtnl.setUp(br.index(), true);
    assertThat(operStateSettling(br.index(), OperState.UNKNOWN)).isEqualTo(OperState.UNKNOWN);
    assertThat(rtnl.link(br.index()).orElseThrow().carrier()).isTrue();
    Link a = veth("prt0", "prt1");
    rtnl.setUp(a.index(), true);
    rtnl.setMaster(a.index(), br.index());
    assertThat(rtnl.link(a.index()).orElseThrow().master()).hasValue(br.index());
    assertThat(operStateSettling(br.index(), OperState.DOWN)).isEqualTo(OperState.DOWN);
    rtnl.setUp(index(rtnl, "prt1"), true);
    assertThat(operStateSettling(br.index(), OperState.UP)).isEqualTo(OperState.UP);
    rtnl.setMaster(a.index(), br.index());
    rtnl.clearMaster(a.index());
    rtnl.clearMaster(a.index());
    assertThat(rtnl.link(a.index()).orElseThrow().master()).isEmpty();
    assertThat(rtnl.link(a.index()).orElseThrow().isUp()).as("a bridge port stays up").isTrue();
  }

  @Test
  void mastersTheKernelRefuses() throws Exception {
    Link br = rtnl.create(new LinkSpec.Bridge(InterfaceName.of("rbr0")));
    Link a = veth("rm0", "rm1");
    int b = index(rtnl, "rm1");
    refused(
        () -> rtnl.setMaster(a.index(), b),
        "RTM_SETLINK ifindex "
            + a.index()
            + " master "
            + b
            + ": EOPNOTSUPP (Operation not supported)");
    refused(
        () -> rtnl.setMaster(1, br.index()),
        "RTM_SETLINK ifindex 1 master " + br.index() + ": EINVAL (Invalid argument)");
    refused(
        () -> rtnl.setMaster(br.index(), br.index()),
        "RTM_SETLINK ifindex "
            + br.index()
            + " master "
            + br.index()
            + ": ELOOP (Too many levels of symbolic links): Can not enslave a bridge to a bridge");
    refused(
        () -> rtnl.setMaster(a.index(), 999_999),
        "RTM_SETLINK ifindex " + a.index() + " master 999999: EINVAL (Invalid argument)");
    refused(
        () -> rtnl.setMaster(999_999, br.index()),
        "RTM_SETLINK ifindex 999999 master " + br.index() + ": ENODEV (No such device)");
    assertThatThrownBy(() -> rtnl.setMaster(a.index(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("master ifindex must be positive: 0");
    // do_set_master leaves the old master before it looks the new one up
    rtnl.setMaster(a.index(), br.index());
    refused(
        () -> rtnl.setMaster(a.index(), 999_999),
        "RTM_SETLINK ifindex " + a.index() + " master 999999: EINVAL (Invalid argument)");
    assertThat(rtnl.link(a.index()).orElseThrow().master()).isEmpty();
  }

  @Test
  void aMacvlanSitsOnItsLowerDeviceAndGoesWithIt() throws Exception {
    Link a = veth("low0", "low1");
    Link mv =
        rtnl.create(new LinkSpec.Macvlan(InterfaceName.of("mv0"), a.index(), MacvlanMode.BRIDGE));
    assertThat(mv.kind()).contains("macvlan");
    assertThat(mv.parent()).hasValue(a.index());
    assertThat(mv.mtu()).isEqualTo(1500);
    Link br = rtnl.create(new LinkSpec.Bridge(InterfaceName.of("mbr1")));
    refused(
        () -> rtnl.setMaster(a.index(), br.index()),
        "RTM_SETLINK ifindex "
            + a.index()
            + " master "
            + br.index()
            + ": EBUSY (Device or resource busy)");
    refused(
        () ->
            rtnl.create(new LinkSpec.Macvlan(InterfaceName.of("mv1"), 999_999, MacvlanMode.BRIDGE)),
        "RTM_NEWLINK mv1 type macvlan: ENODEV (No such device)");
    rtnl.delete(a.index());
    assertThat(rtnl.link("mv0")).isEmpty();
  }

  // ---------------------------------------------------------------- addresses

  @Test
  void addressesOfBothFamilies() throws Exception {
    Link a = veth("adr0", "adr1");
    rtnl.setUp(a.index(), true);
    rtnl.addAddress(a.index(), IpPrefix.parse("192.0.2.10/24"), false);
    rtnl.addAddress(a.index(), IpPrefix.parse("2001:db8:1::10/64"), true);
    List<Address> addrs = rtnl.addresses(a.index());
    assertThat(addrs)
        .extracting(x -> x.prefix().toString())
        .containsExactly("192.0.2.10/24", "2001:db8:1:0:0:0:0:10/64");
    assertThat(addrs.get(0).label()).contains("adr0");
    assertThat(addrs.get(0).scope()).isEqualTo(Rtnetlink.RT_SCOPE_UNIVERSE);
    assertThat(rtnl.addresses(0)).containsAll(addrs);
    assertThat(rtnl.addresses(index(rtnl, "adr1"))).isEmpty();
    // the same IPv4 address with another prefix length is another address
    rtnl.addAddress(a.index(), IpPrefix.parse("192.0.2.10/16"), false);
    rtnl.deleteAddress(a.index(), IpPrefix.parse("192.0.2.10/16"));
    refused(
        () -> rtnl.addAddress(a.index(), IpPrefix.parse("192.0.2.10/24"), false),
        "RTM_NEWADDR 192.0.2.10/24 ifindex "
            + a.index()
            + ": EEXIST (File exists): ipv4: Address already assigned");
    refused(
        () -> rtnl.addAddress(a.index(), IpPrefix.parse("2001:db8:1::10/64"), true),
        "RTM_NEWADDR 2001:db8:1:0:0:0:0:10/64 ifindex "
            + a.index()
            + ": EEXIST (File exists): ipv6: address already assigned");
    refused(
        () -> rtnl.deleteAddress(a.index(), IpPrefix.parse("192.0.2.99/24")),
        "RTM_DELADDR 192.0.2.99/24 ifindex "
            + a.index()
            + ": EADDRNOTAVAIL (Cannot assign requested address): ipv4: Address not found");
    refused(
        () -> rtnl.deleteAddress(a.index(), IpPrefix.parse("2001:db8:1::99/64")),
        "RTM_DELADDR 2001:db8:1:0:0:0:0:99/64 ifindex "
            + a.index()
            + ": EADDRNOTAVAIL (Cannot assign requested address): ipv6: address not found");
    refused(
        () -> rtnl.addAddress(999_999, IpPrefix.parse("192.0.2.11/24"), false),
        "RTM_NEWADDR 192.0.2.11/24 ifindex 999999: ENODEV (No such device): ipv4: Device not found");
    rtnl.deleteAddress(a.index(), IpPrefix.parse("192.0.2.10/24"));
    assertThat(rtnl.addresses(a.index()))
        .extracting(x -> x.prefix().toString())
        .containsExactly("2001:db8:1:0:0:0:0:10/64");
  }

  @Test
  void downDropsIpv6AddressesAndKeepsIpv4Ones() throws Exception {
    Link a = veth("dwn0", "dwn1");
    rtnl.setUp(a.index(), true);
    rtnl.addAddress(a.index(), IpPrefix.parse("198.51.100.5/24"), false);
    rtnl.addAddress(a.index(), IpPrefix.parse("2001:db8:5::5/64"), true);
    rtnl.setUp(a.index(), false);
    assertThat(rtnl.addresses(a.index()))
        .extracting(x -> x.prefix().toString())
        .containsExactly("198.51.100.5/24");
  }

  // ---------------------------------------------------------------- routes

  @Test
  void routesOfBothFamilies() throws Exception {
    Link a = veth("rt0", "rt1");
    rtnl.setUp(a.index(), true);
    rtnl.setUp(index(rtnl, "rt1"), true);
    rtnl.addAddress(a.index(), IpPrefix.parse("198.51.100.2/24"), false);
    rtnl.addAddress(a.index(), IpPrefix.parse("2001:db8:2::2/64"), true);
    RouteSpec v4 =
        RouteSpec.via(
                IpPrefix.parse("203.0.113.0/24"), IpPrefix.parseAddress("198.51.100.1"), a.index())
            .withPriority(77);
    RouteSpec v6 =
        RouteSpec.via(
            IpPrefix.parse("2001:db8:99::/48"), IpPrefix.parseAddress("2001:db8:2::1"), a.index());
    RouteSpec onLink = RouteSpec.onLink(IpPrefix.parse("10.99.0.0/16"), a.index());
    rtnl.addRoute(v4);
    rtnl.addRoute(v6);
    rtnl.addRoute(onLink);

    List<Route> main4 = rtnl.routes(false, Rtnetlink.RT_TABLE_MAIN);
    Route r4 = only(main4, "203.0.113.0/24");
    assertThat(r4.gateway()).contains(IpPrefix.parseAddress("198.51.100.1"));
    assertThat(r4.outputIndex()).hasValue(a.index());
    assertThat(r4.priority()).hasValue(77);
    assertThat(r4.protocol()).isEqualTo(Rtnetlink.RTPROT_BOOT);
    assertThat(r4.scope()).isEqualTo(Rtnetlink.RT_SCOPE_UNIVERSE);
    Route link = only(main4, "10.99.0.0/16");
    assertThat(link.scope()).isEqualTo(Rtnetlink.RT_SCOPE_LINK);
    Route connected = only(main4, "198.51.100.0/24");
    assertThat(connected.protocol()).isEqualTo(Rtnetlink.RTPROT_KERNEL);
    assertThat(connected.preferredSource()).contains(IpPrefix.parseAddress("198.51.100.2"));
    List<Route> main6 = rtnl.routes(true, Rtnetlink.RT_TABLE_MAIN);
    Route r6 = only(main6, "2001:db8:99:0:0:0:0:0/48");
    assertThat(r6.priority()).hasValue(1024);
    assertThat(only(main6, "2001:db8:2:0:0:0:0:0/64").priority()).hasValue(256);

    refused(() -> rtnl.addRoute(v4), "RTM_NEWROUTE 203.0.113.0/24: EEXIST (File exists)");
    rtnl.deleteRoute(v4);
    rtnl.deleteRoute(v6);
    rtnl.deleteRoute(onLink);
    assertThat(rtnl.routes(false, Rtnetlink.RT_TABLE_MAIN))
        .extracting(r -> r.destination().toString())
        .doesNotContain("203.0.113.0/24", "10.99.0.0/16");
    refused(() -> rtnl.deleteRoute(v4), "RTM_DELROUTE 203.0.113.0/24: ESRCH (No such process)");
  }

  @Test
  void routesTheKernelRefuses() throws Exception {
    Link a = veth("rr0", "rr1");
    int down = index(rtnl, "rr1");
    rtnl.setUp(a.index(), true);
    rtnl.addAddress(a.index(), IpPrefix.parse("198.51.100.2/24"), false);
    rtnl.addAddress(a.index(), IpPrefix.parse("2001:db8:2::2/64"), true);
    refused(
        () ->
            rtnl.addRoute(
                RouteSpec.via(
                    IpPrefix.parse("203.0.113.0/24"),
                    IpPrefix.parseAddress("192.0.2.1"),
                    a.index())),
        "RTM_NEWROUTE 203.0.113.0/24: ENETUNREACH (Network is unreachable): Nexthop has invalid"
            + " gateway");
    refused(
        () ->
            rtnl.addRoute(
                RouteSpec.via(
                    IpPrefix.parse("2001:db8:99::/48"),
                    IpPrefix.parseAddress("2001:db8:7::1"),
                    a.index())),
        "RTM_NEWROUTE 2001:db8:99:0:0:0:0:0/48: EHOSTUNREACH (No route to host)");
    refused(
        () -> rtnl.addRoute(RouteSpec.onLink(IpPrefix.parse("10.9.0.0/16"), down)),
        "RTM_NEWROUTE 10.9.0.0/16: ENETDOWN (Network is down): Device for nexthop is not up");
    refused(
        () -> rtnl.addRoute(RouteSpec.onLink(IpPrefix.parse("10.9.0.0/16"), 999_999)),
        "RTM_NEWROUTE 10.9.0.0/16: ENODEV (No such device)");
  }

  @Test
  void routesThroughADownLinkOrAnUnknownLink() throws Exception {
    Link a = veth("rx0", "rx1");
    rtnl.setUp(a.index(), true);
    rtnl.addAddress(a.index(), IpPrefix.parse("198.51.100.2/24"), false);
    rtnl.addAddress(a.index(), IpPrefix.parse("2001:db8:2::2/64"), true);
    int down = index(rtnl, "rx1");
    refused(
        () ->
            rtnl.addRoute(
                RouteSpec.via(
                    IpPrefix.parse("203.0.113.0/24"), IpPrefix.parseAddress("198.51.100.1"), down)),
        "RTM_NEWROUTE 203.0.113.0/24: ENETUNREACH (Network is unreachable): Nexthop has invalid"
            + " gateway");
    refused(
        () ->
            rtnl.addRoute(
                RouteSpec.via(
                    IpPrefix.parse("2001:db8:99::/48"),
                    IpPrefix.parseAddress("2001:db8:2::1"),
                    down)),
        "RTM_NEWROUTE 2001:db8:99:0:0:0:0:0/48: EHOSTUNREACH (No route to host)");
    refused(
        () -> rtnl.addAddress(999_999, IpPrefix.parse("2001:db8:3::1/64"), true),
        "RTM_NEWADDR 2001:db8:3:0:0:0:0:1/64 ifindex 999999: ENODEV (No such device): ipv6:"
            + " Unable to find the interface");
    refused(
        () -> rtnl.deleteAddress(999_999, IpPrefix.parse("2001:db8:3::1/64")),
        "RTM_DELADDR 2001:db8:3:0:0:0:0:1/64 ifindex 999999: ENODEV (No such device): ipv6:"
            + " Unable to find the interface");
    refused(
        () -> rtnl.deleteAddress(999_999, IpPrefix.parse("192.0.2.1/24")),
        "RTM_DELADDR 192.0.2.1/24 ifindex 999999: ENODEV (No such device): ipv4: Device not"
            + " found");
  }

  @Test
  void routesThroughALinkGoWhenItGoesDown() throws Exception {
    Link a = veth("rd0", "rd1");
    rtnl.setUp(a.index(), true);
    rtnl.addAddress(a.index(), IpPrefix.parse("198.51.100.2/24"), false);
    rtnl.addRoute(
        RouteSpec.via(
            IpPrefix.parse("203.0.113.0/24"), IpPrefix.parseAddress("198.51.100.1"), a.index()));
    rtnl.setUp(a.index(), false);
    assertThat(rtnl.routes(false, Rtnetlink.RT_TABLE_MAIN))
        .extracting(r -> r.destination().toString())
        .doesNotContain("203.0.113.0/24", "198.51.100.0/24");
  }

  private static Route only(List<Route> routes, String destination) {
    List<Route> matching =
        routes.stream().filter(r -> r.destination().toString().equals(destination)).toList();
    assertThat(matching).as(destination + " in " + routes).hasSize(1);
    return matching.get(0);
  }

  // ---------------------------------------------------------------- VF requests without VFs

  @Test
  void vfRequestsOnALinkWithoutVfs() throws Exception {
    Link a = veth("novf0", "novf1");
    assertThat(rtnl.vfs(a.index(), true)).isEmpty();
    assertThat(rtnl.vfs(a.index(), false)).isEmpty();
    refused(
        () ->
            rtnl.setVf(
                a.index(),
                VfConfig.forVf(VfIndex.of(0)).mac(MacAddress.parse("02:00:00:00:00:01")).build()),
        "RTM_SETLINK PF ifindex " + a.index() + " vf 0: EOPNOTSUPP (Operation not supported)");
    refused(
        () -> rtnl.setVf(a.index(), VfConfig.forVf(VfIndex.of(0)).trust(true).build()),
        "RTM_SETLINK PF ifindex " + a.index() + " vf 0: EOPNOTSUPP (Operation not supported)");
    refused(
        () -> rtnl.vfs(999_999, false), "RTM_GETLINK PF ifindex 999999: ENODEV (No such device)");
    assertThatThrownBy(() -> rtnl.setVf(a.index(), VfConfig.forVf(VfIndex.of(0)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("VF 0: nothing to set");
  }

  @Test
  void batchedVfRequestOnALinkWithoutVfs() throws Exception {
    Link a = veth("novfs0", "novfs1");
    VfConfig vf0 = VfConfig.forVf(VfIndex.of(0)).mac(MacAddress.parse("02:00:00:00:00:01")).build();
    VfConfig vf1 = VfConfig.forVf(VfIndex.of(1)).mac(MacAddress.parse("02:00:00:00:00:02")).build();
    VfConfig vf3 = VfConfig.forVf(VfIndex.of(3)).trust(true).build();
    refused(
        () -> rtnl.setVfs(a.index(), List.of(vf0, vf1, vf3)),
        "RTM_SETLINK PF ifindex " + a.index() + " vfs 0-1,3: EOPNOTSUPP (Operation not supported)");
    refused(
        () -> rtnl.setVfs(a.index(), List.of(vf1)),
        "RTM_SETLINK PF ifindex " + a.index() + " vf 1: EOPNOTSUPP (Operation not supported)");
    assertThatThrownBy(() -> rtnl.setVfs(a.index(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no VF to set");
    assertThatThrownBy(() -> rtnl.setVfs(a.index(), List.of(vf0, vf1, vf0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("VF 0 named twice in one request");
    assertThatThrownBy(
            () -> rtnl.setVfs(a.index(), List.of(vf0, VfConfig.forVf(VfIndex.of(2)).build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("VF 2: nothing to set");
  }
}
