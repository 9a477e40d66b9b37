package io.sriov.bond;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.cni.plugin.CniRunner;
import io.sriov.cni.plugin.IpamDelegate;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.IpPrefix;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.netlink.ErrnoException;
import io.sriov.netlink.NetlinkException;
import io.sriov.netlink.route.BondMode;
import io.sriov.netlink.route.FailOverMac;
import io.sriov.netlink.route.LacpRate;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.RtnlNamespaces;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.XmitHashPolicy;
import io.sriov.os.Errno;
import io.sriov.simulator.netlink.HardwareNetdev;
import io.sriov.simulator.netlink.SimulatedNetwork;
import io.sriov.simulator.netlink.SimulatedRtnl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bond plugin end to end through {@link CniRunner} (environment, netconf, stdout, exit status)
 * on the simulated rtnetlink: two igb PFs with a VF each, as the e2e guest, a pod namespace, and a
 * shell-script IPAM plugin.
 */
class BondPluginTest {
  static final PciAddress PF0 = PciAddress.parse("0000:00:02.0");
  static final PciAddress PF1 = PciAddress.parse("0000:00:04.0");
  static final Path POD = Path.of("/var/run/netns/pod1");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Path bin;
  Path state;
  Path ipamLog;
  SimulatedNetwork net;
  SimulatedRtnl host;
  BondPlugin plugin;
  String stdout;

  @BeforeEach
  void node() throws IOException {
    net =
        new SimulatedNetwork(
            List.of(
                HardwareNetdev.pf(
                    InterfaceName.of("eth0"), PF0, "igb", mac("52:54:00:12:34:56"), 1500, 1000, 7),
                HardwareNetdev.pf(
                    InterfaceName.of("eth1"),
                    PF1,
                    "igb",
                    mac("52:54:00:12:34:57"),
                    1500,
                    1000,
                    7)));
    net.setNumVfs(PF0, 1);
    net.setNumVfs(PF1, 1);
    net.addNetdev(vf(PF0, "net1", "02:00:00:00:00:01"), true);
    net.addNetdev(vf(PF1, "net2", "02:00:00:00:00:02"), true);
    net.createNamespace(POD);
    host = net.openHost();
    bin = Files.createDirectory(tmp.resolve("bin"));
    state = tmp.resolve("state");
    ipamLog = tmp.resolve("ipam.log");
    ipam(
        "echo \"$CNI_COMMAND $CNI_CONTAINERID $CNI_IFNAME\" >> "
            + ipamLog
            + "\nif [ \"$CNI_COMMAND\" = ADD ]; then echo '{\"cniVersion\": \"1.0.0\", \"ips\":"
            + " [{\"address\": \"10.56.0.2/24\", \"gateway\": \"10.56.0.1\"}], \"routes\":"
            + " [{\"dst\": \"10.57.0.0/16\", \"gw\": \"10.56.0.1\"}, {\"dst\": \"10.58.0.0/16\"}],"
            + " \"dns\": {\"nameservers\":"
            + " [\"10.56.0.53\"]}}'; fi\n");
    plugin = new BondPlugin(net, new IpamDelegate(), state, new Random(7), BondingDriver.PRESENT);
  }

  static MacAddress mac(String s) {
    return MacAddress.parse(s);
  }

  static HardwareNetdev vf(PciAddress pf, String name, String mac) {
    return HardwareNetdev.vf(
        InterfaceName.of(name),
        new PciAddress(0, 0, 0x10 + pf.device(), 0),
        "igbvf",
        mac(mac),
        1500,
        1000,
        pf,
        0);
  }

  void ipam(String script) throws IOException {
    Path p = bin.resolve("fake-ipam");
    Files.writeString(p, "#!/bin/sh\ncat >/dev/null\n" + script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
  }

  static String conf(String version, String fields) {
    return "{\"cniVersion\": \""
        + version
        + "\", \"name\": \"bond-net\", \"type\": \"bond\", "
        + fields
        + "}";
  }

  static final String AB =
      "\"mode\": \"active-backup\", \"miimon\": \"100\", \"failOverMac\": 1,"
          + " \"links\": [{\"name\": \"net1\"}, {\"name\": \"net2\"}],"
          + " \"ipam\": {\"type\": \"fake-ipam\"}";

  /** {@link #AB} over links already in the pod (the sriov plugin moved them there). */
  static final String AB_IN_POD =
      AB.replace("\"failOverMac\": 1,", "\"failOverMac\": 1, \"linksInContainer\": true,");

  /** Both VFs into the pod, as the sriov plugin's ADDs leave them. */
  void linksIntoThePod() throws Exception {
    for (String n : List.of("net1", "net2")) {
      host.moveToNamespace(host.link(n).orElseThrow().index(), POD);
    }
  }

  int run(String command, String netconf) {
    return run(command, netconf, "bond0", POD.toString());
  }

  int run(String command, String netconf, String ifName, String netns) {
    Map<String, String> env = new HashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", "ctr1");
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", ifName);
    env.put("CNI_PATH", bin.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = CniRunner.run(plugin, env, netconf.getBytes(StandardCharsets.UTF_8), out, err);
    stdout = out.toString(StandardCharsets.UTF_8);
    return rc;
  }

  /** The error's msg, after asserting the call failed with {@code code}. */
  String error(int code) throws IOException {
    JsonNode e = JSON.readTree(stdout);
    assertThat(e.path("code").asInt()).as(stdout).isEqualTo(code);
    return e.path("msg").asText();
  }

  SimulatedRtnl pod() throws Exception {
    return net.open(POD);
  }

  List<String> names(SimulatedRtnl r) throws Exception {
    return r.links().stream().map(l -> l.name().value()).toList();
  }

  /** What the host and the pod hold, to compare before and after. */
  String snapshot() throws Exception {
    StringBuilder b = new StringBuilder();
    for (SimulatedRtnl r : List.of(host, pod())) {
      for (Link l : r.links()) {
        b.append(l.name())
            .append(' ')
            .append(l.isUp())
            .append(' ')
            .append(l.mtu())
            .append(' ')
            .append(l.mac().orElseThrow())
            .append(' ')
            .append(l.master())
            .append('\n');
      }
      b.append("--\n");
    }
    return b.toString();
  }

  @Test
  void activeBackupAddCheckDel() throws Exception {
    String before = snapshot();
    assertThat(run("ADD", conf("1.0.0", AB))).as(stdout).isZero();
    SimulatedRtnl pod = pod();
    assertThat(names(pod)).containsExactlyInAnyOrder("lo", "net1", "net2", "bond0");
    assertThat(names(host)).doesNotContain("net1", "net2");
    Link bond = pod.link("bond0").orElseThrow();
    assertThat(bond.isUp()).isTrue();
    assertThat(bond.bond().orElseThrow().mode()).isEqualTo(BondMode.ACTIVE_BACKUP);
    assertThat(bond.bond().orElseThrow().failOverMac()).contains(FailOverMac.ACTIVE);
    assertThat(bond.bond().orElseThrow().miimon()).hasValue(100);
    for (String s : List.of("net1", "net2")) {
      assertThat(pod.link(s).orElseThrow().master()).hasValue(bond.index());
      assertThat(pod.link(s).orElseThrow().isUp()).isTrue();
    }
    assertThat(pod.addresses(bond.index()))
        .extracting(a -> a.prefix().compact())
        .contains("10.56.0.2/24");
    // the IPAM route without a gateway takes the address's gateway, as libcni's ConfigureIface
    assertThat(pod.routes(false, 254))
        .filteredOn(rt -> !rt.destination().compact().startsWith("10.56."))
        .extracting(
            rt ->
                rt.destination().compact()
                    + " via "
                    + rt.gateway().map(IpPrefix::format).orElse("-"))
        .containsExactlyInAnyOrder("10.57.0.0/16 via 10.56.0.1", "10.58.0.0/16 via 10.56.0.1");
    JsonNode r = JSON.readTree(stdout);
    assertThat(r.path("cniVersion").asText()).isEqualTo("1.0.0");
    assertThat(r.path("interfaces")).hasSize(3);
    assertThat(r.path("interfaces").get(0).path("name").asText()).isEqualTo("bond0");
    assertThat(r.path("interfaces").get(0).path("sandbox").asText()).isEqualTo(POD.toString());
    assertThat(r.path("interfaces").get(0).path("mac").asText()).isEqualTo("02:00:00:00:00:01");
    assertThat(r.path("interfaces").get(1).path("name").asText()).isEqualTo("net1");
    assertThat(r.path("ips").get(0).path("interface").asInt()).isZero();
    assertThat(r.path("ips").get(0).path("address").asText()).isEqualTo("10.56.0.2/24");
    assertThat(r.path("routes").get(0).path("dst").asText()).isEqualTo("10.57.0.0/16");
    assertThat(r.path("dns").path("nameservers").get(0).asText()).isEqualTo("10.56.0.53");

    String prev = conf("1.0.0", AB + ", \"prevResult\": " + stdout);
    assertThat(run("CHECK", prev)).as(stdout).isZero();
    assertThat(run("DEL", prev)).as(stdout).isZero();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(run("DEL", prev)).as("DEL again").isZero();
    assertThat(Files.readAllLines(ipamLog))
        .containsExactly("ADD ctr1 bond0", "CHECK ctr1 bond0", "DEL ctr1 bond0", "DEL ctr1 bond0");
  }

  @Test
  void lacpBondWithTheOptionsUpstreamLacks() throws Exception {
    String lacp =
        "\"mode\": \"802.3ad\", \"miimon\": 100, \"lacpRate\": \"fast\","
            + " \"xmitHashPolicy\": \"layer3+4\", \"adSelect\": \"bandwidth\", \"minLinks\": 1,"
            + " \"updelay\": 200, \"downdelay\": 300, \"resendIgmp\": 2, \"allSlavesActive\": 1,"
            + " \"mtu\": 1400, \"links\": [{\"name\": \"net1\"}, {\"name\": \"net2\"}]";
    assertThat(run("ADD", conf("0.4.0", lacp))).as(stdout).isZero();
    Link bond = pod().link("bond0").orElseThrow();
    var o = bond.bond().orElseThrow();
    assertThat(o.lacpRate()).contains(LacpRate.FAST);
    assertThat(o.xmitHashPolicy()).contains(XmitHashPolicy.LAYER3_4);
    assertThat(o.updelay()).hasValue(200);
    assertThat(o.resendIgmp()).hasValue(2);
    assertThat(bond.mtu()).isEqualTo(1400);
    assertThat(pod().link("net1").orElseThrow().mtu()).as("the bond's MTU").isEqualTo(1400);
    assertThat(JSON.readTree(stdout).has("ips")).as("no ipam").isFalse();
    assertThat(run("CHECK", conf("0.4.0", lacp))).as(stdout).isZero();
    // CHECK sees a change made behind the plugin's back
    pod().setMtu(bond.index(), 1300);
    assertThat(run("CHECK", conf("0.4.0", lacp))).isEqualTo(1);
    assertThat(error(100)).isEqualTo("bond0: mtu 1300, want 1400");
    String fast = conf("0.4.0", lacp.replace("\"fast\"", "\"slow\"").replace("1400", "1300"));
    assertThat(run("CHECK", fast)).isEqualTo(1);
    assertThat(error(100)).isEqualTo("bond0: lacpRate fast, want slow");
    assertThat(run("DEL", conf("0.4.0", lacp))).isZero();
    assertThat(host.link("net1").orElseThrow().mtu()).as("MTU restored").isEqualTo(1500);
  }

  @Test
  void linksAlreadyInThePod() throws Exception {
    linksIntoThePod();
    String c =
        conf(
            "1.1.0",
            "\"mode\": \"balance-rr\", \"miimon\": \"0\", \"linksInContainer\": true,"
                + " \"links\": [{\"name\": \"net1\"}, {\"name\": \"net2\"}]");
    assertThat(run("ADD", c)).as(stdout).isZero();
    assertThat(run("DEL", c)).isZero();
    assertThat(names(pod())).containsExactlyInAnyOrder("lo", "net1", "net2");
  }

  @Test
  void checkFailures() throws Exception {
    assertThat(run("CHECK", conf("1.0.0", AB))).isEqualTo(1);
    assertThat(error(100)).isEqualTo("bond bond0 not found in /var/run/netns/pod1");
    assertThat(run("ADD", conf("1.0.0", AB))).isZero();
    String prev = conf("1.0.0", AB + ", \"prevResult\": " + stdout);
    SimulatedRtnl pod = pod();
    Link bond = pod.link("bond0").orElseThrow();
    pod.deleteAddress(bond.index(), io.sriov.core.value.IpPrefix.parse("10.56.0.2/24"));
    assertThat(run("CHECK", prev)).isEqualTo(1);
    assertThat(error(100)).isEqualTo("bond0: address 10.56.0.2/24 missing");
    pod.setUp(bond.index(), false);
    assertThat(run("CHECK", prev)).isEqualTo(1);
    assertThat(error(100)).isEqualTo("bond0 is down");
    pod.clearMaster(pod.link("net2").orElseThrow().index());
    assertThat(run("CHECK", prev)).isEqualTo(1);
    assertThat(error(100)).isEqualTo("slave net2 is not enslaved to bond0");
    assertThat(run("CHECK", conf("1.0.0", AB.replace("\"100\"", "\"200\"")))).isEqualTo(1);
    assertThat(error(100)).isEqualTo("slave net2 is not enslaved to bond0");
  }

  @Test
  void delToleratesWhatIsAlreadyGone() throws Exception {
    assertThat(run("ADD", conf("1.0.0", AB))).isZero();
    // the sriov plugin's DEL ran first and took net2 back
    SimulatedRtnl pod = pod();
    pod.setUp(pod.link("net2").orElseThrow().index(), false);
    pod.moveToNamespace(pod.link("net2").orElseThrow().index(), SimulatedNetwork.HOST);
    assertThat(run("DEL", conf("1.0.0", AB))).as(stdout).isZero();
    assertThat(names(host)).contains("net1", "net2");
    assertThat(names(pod())).containsExactly("lo");
    // no netns at all (containerd), and a netns that is gone
    assertThat(run("DEL", conf("1.0.0", AB), "bond0", "")).as(stdout).isZero();
    assertThat(run("DEL", conf("1.0.0", AB), "bond0", "/var/run/netns/gone")).as(stdout).isZero();
  }

  @Test
  void delLeavesAnInterfaceThatIsNoBondAlone() throws Exception {
    host.moveToNamespace(host.link("net1").orElseThrow().index(), POD);
    assertThat(run("DEL", conf("1.0.0", AB), "net1", POD.toString())).isEqualTo(1);
    assertThat(error(7))
        .isEqualTo("CNI_IFNAME net1 in /var/run/netns/pod1 is not a bond (kind none): left alone");
  }

  @Test
  void duplicateMacsInBalanceAlbAreRewrittenAndRestored() throws Exception {
    host.setMac(host.link("net2").orElseThrow().index(), mac("02:00:00:00:00:01"));
    String alb =
        conf(
            "1.0.0",
            "\"mode\": \"balance-alb\", \"miimon\": \"100\", \"tlbDynamicLb\": 0,"
                + " \"links\": [{\"name\": \"net1\"}, {\"name\": \"net2\"}]");
    String before = snapshot();
    assertThat(run("ADD", alb)).as(stdout).isZero();
    MacAddress m1 = pod().link("net1").orElseThrow().mac().orElseThrow();
    MacAddress m2 = pod().link("net2").orElseThrow().mac().orElseThrow();
    assertThat(m1).isEqualTo(mac("02:00:00:00:00:01"));
    assertThat(m2).isNotEqualTo(m1);
    assertThat(m2.bytes()[0] & 0x03).as("unicast, locally administered").isEqualTo(0x02);
    Path file = state.resolve("ctr1-bond0.json");
    assertThat(Files.readString(file))
        .isEqualTo(
            "{\"originalMacs\":{\"net2\":\"02:00:00:00:00:01\"},\"upInHost\":[\"net1\",\"net2\"]}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(run("DEL", alb)).as(stdout).isZero();
    assertThat(snapshot()).isEqualTo(before);
    assertThat(file).doesNotExist();
  }

  @Test
  void mtuRulesAsUpstream() throws Exception {
    String before = snapshot();
    assertThat(run("ADD", conf("1.0.0", AB + ", \"mtu\": 9000"))).isEqualTo(1);
    assertThat(error(7)).isEqualTo("mtu 9000: above slave net1's MTU 1500");
    assertThat(snapshot()).as("links moved back").isEqualTo(before);
    // slaves may take more, their PF may not
    int pf0 = host.link("eth0").orElseThrow().index();
    host.setVf(pf0, VfConfig.forVf(VfIndex.of(0)).mac(mac("02:00:00:00:00:01")).build());
    for (String s : List.of("net1", "net2")) {
      host.setMtu(host.link(s).orElseThrow().index(), 9000);
    }
    assertThat(run("ADD", conf("1.0.0", AB + ", \"mtu\": 9000"))).isEqualTo(1);
    assertThat(error(7)).isEqualTo("mtu 9000: above the MTU 1500 of net1's PF eth0");
    for (String s : List.of("net1", "net2")) {
      host.setMtu(host.link(s).orElseThrow().index(), 1400);
    }
    assertThat(run("ADD", conf("1.0.0", AB))).isEqualTo(1);
    assertThat(error(7))
        .isEqualTo("the default MTU 1500 (mtu not set): above slave net1's MTU 1400");
  }

  @Test
  void everyAddFailureLeavesPodAndHostAsTheyWere() throws Exception {
    String before = snapshot();
    // a link missing in the host: the first one, already moved, comes back
    assertThat(run("ADD", conf("1.0.0", AB.replace("net2", "net9")))).isEqualTo(1);
    assertThat(error(7)).isEqualTo("links[1].name net9: no such link in the host namespace");
    assertThat(snapshot()).isEqualTo(before);
    // IPAM fails after the bond is up: everything is undone, IPAM released
    ipam(
        "echo \"$CNI_COMMAND\" >> "
            + ipamLog
            + "\nif [ \"$CNI_COMMAND\" = ADD ]; then echo '{\"code\": 11, \"msg\": \"no IP"
            + " addresses available in range set\"}'; exit 1; fi\n");
    assertThat(run("ADD", conf("1.0.0", AB))).isEqualTo(1);
    assertThat(error(11)).isEqualTo("no IP addresses available in range set");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(Files.readAllLines(ipamLog)).containsExactly("ADD");
    // IPAM result the bond cannot take (route via a gateway of another family)
    ipam(
        "echo \"$CNI_COMMAND\" >> "
            + ipamLog
            + "\nif [ \"$CNI_COMMAND\" = ADD ]; then echo '{\"cniVersion\": \"1.0.0\", \"ips\":"
            + " [{\"address\": \"10.56.0.2/24\"}], \"routes\": [{\"dst\": \"10.57.0.0/16\","
            + " \"gw\": \"fd00::1\"}]}'; fi\n");
    assertThat(run("ADD", conf("1.0.0", AB))).isEqualTo(1);
    assertThat(error(7))
        .isEqualTo(
            "IPAM plugin fake-ipam's result: routes[0] 10.57.0.0/16: gateway fd00::1 is not an"
                + " IPv4 address");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(Files.readAllLines(ipamLog)).containsExactly("ADD", "ADD", "DEL");
    // the bond's name is taken in the pod
    SimulatedRtnl pod = pod();
    pod.create(new io.sriov.netlink.route.LinkSpec.Bridge(InterfaceName.of("bond0")));
    String withBridge = snapshot();
    assertThat(run("ADD", conf("1.0.0", AB))).isEqualTo(1);
    assertThat(error(4))
        .isEqualTo("CNI_IFNAME bond0: a link of that name already exists in /var/run/netns/pod1");
    assertThat(snapshot()).isEqualTo(withBridge);
    // the pod's netns does not exist
    assertThat(run("ADD", conf("1.0.0", AB), "bond0", "/var/run/netns/nope")).isEqualTo(1);
    assertThat(error(3)).isEqualTo("netns /var/run/netns/nope does not exist");
    // a slave already enslaved elsewhere
    pod.delete(pod.link("bond0").orElseThrow().index());
    host.moveToNamespace(host.link("net2").orElseThrow().index(), POD);
    Link other = pod.create(new io.sriov.netlink.route.LinkSpec.Bridge(InterfaceName.of("br0")));
    pod.setMaster(pod.link("net2").orElseThrow().index(), other.index());
    String enslaved = snapshot();
    assertThat(run("ADD", conf("1.0.0", AB_IN_POD))).isEqualTo(1);
    assertThat(error(7)).isEqualTo("links[0].name net1: no such link in /var/run/netns/pod1");
    host.moveToNamespace(host.link("net1").orElseThrow().index(), POD);
    assertThat(run("ADD", conf("1.0.0", AB_IN_POD))).isEqualTo(1);
    assertThat(error(7))
        .isEqualTo("links: net2 already has a master (ifindex " + other.index() + ")");
    assertThat(enslaved).isNotEmpty();
  }

  @Test
  void gcRemovesStateOfGoneAttachmentsAndForwardsToIpam() throws Exception {
    Files.createDirectories(state);
    Files.writeString(state.resolve("ctr1-bond0.json"), "{}");
    Files.writeString(state.resolve("gone-bond0.json"), "{}");
    String gc =
        conf(
            "1.1.0",
            AB
                + ", \"cni.dev/valid-attachments\": [{\"containerID\": \"ctr1\", \"ifname\":"
                + " \"bond0\"}]");
    Map<String, String> env = Map.of("CNI_COMMAND", "GC", "CNI_PATH", bin.toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(
            CniRunner.run(
                plugin, env, gc.getBytes(StandardCharsets.UTF_8), out, new ByteArrayOutputStream()))
        .as(out.toString())
        .isZero();
    assertThat(state.resolve("ctr1-bond0.json")).exists();
    assertThat(state.resolve("gone-bond0.json")).doesNotExist();
    assertThat(Files.readAllLines(ipamLog)).containsExactly("GC  ");
    Map<String, String> status = Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", bin.toString());
    assertThat(
            CniRunner.run(
                plugin,
                status,
                gc.getBytes(StandardCharsets.UTF_8),
                out,
                new ByteArrayOutputStream()))
        .isZero();
    assertThat(Files.readAllLines(ipamLog)).containsExactly("GC  ", "STATUS  ");
    // a node that cannot create bonds: code 50 before IPAM is asked
    BondPlugin noBonding =
        new BondPlugin(
            net,
            new IpamDelegate(),
            state,
            new Random(7),
            () -> java.util.Optional.of("the bonding driver is not available: test"));
    ByteArrayOutputStream unavailable = new ByteArrayOutputStream();
    assertThat(
            CniRunner.run(
                noBonding,
                status,
                gc.getBytes(StandardCharsets.UTF_8),
                unavailable,
                new ByteArrayOutputStream()))
        .isEqualTo(1);
    JsonNode e = JSON.readTree(unavailable.toByteArray());
    assertThat(e.path("code").asInt()).isEqualTo(50);
    assertThat(e.path("msg").asText()).isEqualTo("the bonding driver is not available: test");
    assertThat(Files.readAllLines(ipamLog)).containsExactly("GC  ", "STATUS  ");
  }

  @Test
  void aKernelRefusalWhileEnslavingUndoesTheEarlierSlaves() throws Exception {
    String before = snapshot();
    // a macvlan on net2 in the host: the bonding driver refuses net2 (EBUSY) after net1 is in
    int net2 = host.link("net2").orElseThrow().index();
    host.create(
        new io.sriov.netlink.route.LinkSpec.Macvlan(
            InterfaceName.of("mv0"), net2, io.sriov.netlink.route.MacvlanMode.BRIDGE));
    String withMacvlan = snapshot();
    assertThat(withMacvlan).isNotEqualTo(before);
    linksIntoThePod();
    String inPod = snapshot();
    String c = conf("1.0.0", AB_IN_POD);
    assertThat(run("ADD", c)).isEqualTo(1);
    String msg = error(11);
    assertThat(msg)
        .startsWith("RTM_SETLINK ifindex ")
        .endsWith(": EBUSY (Device or resource busy): Device is in use and cannot be enslaved");
    assertThat(snapshot()).as("net1 released, bond deleted, IPAM released").isEqualTo(inPod);
    assertThat(ipamLog).as("IPAM never ran").doesNotExist();
  }

  /** STATUS through CniRunner with {@code p}: the exit status; the output in {@link #stdout}. */
  int status(BondPlugin p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        CniRunner.run(
            p,
            Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", bin.toString()),
            conf("1.1.0", AB).getBytes(StandardCharsets.UTF_8),
            out,
            new ByteArrayOutputStream());
    stdout = out.toString(StandardCharsets.UTF_8);
    return rc;
  }

  @Test
  void statusChecksWhatTheSriovPluginsStatusChecks() throws Exception {
    // the state directory cannot be created: a file where its parent should be
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    BondPlugin noState =
        new BondPlugin(
            net, new IpamDelegate(), file.resolve("bond"), new Random(7), BondingDriver.PRESENT);
    assertThat(status(noState)).isEqualTo(1);
    assertThat(error(50))
        .isEqualTo(
            "state directory "
                + file.resolve("bond")
                + " cannot be written (nearest existing: "
                + file
                + ")");
    // rtnetlink does not answer
    RtnlNamespaces refusing =
        new RtnlNamespaces() {
          @Override
          public Path hostNamespace() {
            return net.hostNamespace();
          }

          @Override
          public RtnlOperations open(Path namespace) throws NetlinkException {
            throw new ErrnoException("socket NETLINK_ROUTE", Errno.EPERM);
          }
        };
    BondPlugin noRtnl =
        new BondPlugin(refusing, new IpamDelegate(), state, new Random(7), BondingDriver.PRESENT);
    assertThat(status(noRtnl)).isEqualTo(1);
    assertThat(error(50))
        .isEqualTo("rtnetlink unavailable: socket NETLINK_ROUTE: EPERM (Operation not permitted)");
    assertThat(ipamLog).as("IPAM not asked when the plugin itself is not available").doesNotExist();
    // the state directory missing under a writable parent is fine (ADD creates it)
    assertThat(state).doesNotExist();
    assertThat(status(plugin)).as(stdout).isZero();
    assertThat(Files.readAllLines(ipamLog)).containsExactly("STATUS  ");
  }

  @Test
  void delSucceedsWhenTheSriovDelsRanFirst() throws Exception {
    linksIntoThePod();
    String c = conf("1.0.0", AB_IN_POD);
    assertThat(run("ADD", c)).as(stdout).isZero();
    // the sriov plugin's DELs ran before the bond's: both VFs back in the host, the bond left empty
    SimulatedRtnl pod = pod();
    for (String n : List.of("net1", "net2")) {
      int i = pod.link(n).orElseThrow().index();
      pod.setUp(i, false);
      pod.clearMaster(i);
      pod.moveToNamespace(i, SimulatedNetwork.HOST);
    }
    assertThat(run("DEL", c)).as(stdout).isZero();
    assertThat(names(pod())).containsExactly("lo");
    assertThat(names(host)).contains("net1", "net2");
    assertThat(run("DEL", c)).as("DEL again").isZero();
  }

  @Test
  void delSucceedsWhenTheBondIsAlreadyGone() throws Exception {
    String before = snapshot();
    assertThat(run("ADD", conf("1.0.0", AB))).as(stdout).isZero();
    // the bond removed before DEL (a DEL retried after a partial one): the slaves the plugin moved
    // in from the host go back all the same, up as they were
    SimulatedRtnl pod = pod();
    pod.delete(pod.link("bond0").orElseThrow().index());
    assertThat(run("DEL", conf("1.0.0", AB))).as(stdout).isZero();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void checkNamesAMissingSlaveAndAnInterfaceThatIsNoBond() throws Exception {
    assertThat(run("ADD", conf("1.0.0", AB))).as(stdout).isZero();
    String other = AB.replace("{\"name\": \"net2\"}", "{\"name\": \"net3\"}");
    assertThat(run("CHECK", conf("1.0.0", other))).isEqualTo(1);
    assertThat(error(100)).isEqualTo("slave net3 not found in /var/run/netns/pod1");
    assertThat(run("CHECK", conf("1.0.0", AB), "net1", POD.toString())).isEqualTo(1);
    assertThat(error(100)).isEqualTo("net1 in /var/run/netns/pod1 is not a bond");
    String rr = AB.replace("active-backup", "balance-rr");
    assertThat(run("CHECK", conf("1.0.0", rr))).isEqualTo(1);
    assertThat(error(100)).isEqualTo("bond0: mode active-backup, want balance-rr");
  }

  @Test
  void gcReportsAStateFileItCannotRemove() throws Exception {
    Files.createDirectories(state.resolve("gone-bond0.json"));
    Files.writeString(state.resolve("gone-bond0.json").resolve("x"), "");
    String gc = conf("1.1.0", AB + ", \"cni.dev/valid-attachments\": []");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        CniRunner.run(
            plugin,
            Map.of("CNI_COMMAND", "GC", "CNI_PATH", bin.toString()),
            gc.getBytes(StandardCharsets.UTF_8),
            out,
            new ByteArrayOutputStream());
    stdout = out.toString(StandardCharsets.UTF_8);
    assertThat(rc).isEqualTo(1);
    assertThat(error(5)).isEqualTo("gc: 1 state file(s) not removed");
    assertThat(JSON.readTree(stdout).path("details").asText())
        .startsWith(state.resolve("gone-bond0.json") + ": ");
  }
}
