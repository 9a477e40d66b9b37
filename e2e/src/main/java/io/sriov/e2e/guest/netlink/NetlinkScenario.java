package io.sriov.e2e.guest.netlink;

import io.sriov.core.device.Device;
import io.sriov.core.device.PciNetDevice;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.MacAddress;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.VfIndex;
import io.sriov.e2e.guest.Evidence;
import io.sriov.e2e.guest.GuestScenario;
import io.sriov.netlink.devlink.DevlinkClient;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.discovery.NetlinkDetailsDiscovery;
import io.sriov.netlink.event.NetlinkLinkMonitor;
import io.sriov.netlink.netns.NamedNetns;
import io.sriov.netlink.netns.NetNamespace;
import io.sriov.netlink.netns.NetnsExecutor;
import io.sriov.netlink.netns.NetnsName;
import io.sriov.netlink.route.BondMode;
import io.sriov.netlink.route.BondOptions;
import io.sriov.netlink.route.Link;
import io.sriov.netlink.route.LinkSpec;
import io.sriov.netlink.route.RtnlClient;
import io.sriov.netlink.route.VfConfig;
import io.sriov.netlink.route.VfInfo;
import io.sriov.netlink.route.VfLinkState;
import io.sriov.netlink.route.VfVlan;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * sriov-netlink on the guest's real kernel: link listing, netdev altnames added to the sysfs
 * discovery by {@link NetlinkDetailsDiscovery}, every VF attribute igb supports set and read back
 * (and those it refuses), a VF netdev moved into a named namespace and back, a bond of two VFs, and
 * link events for QEMU {@code set_link} carrier changes. Each step also records what {@code ip -j
 * -d link} says, for the host test to compare. Creates 3 VFs on PF 0 and 1 on PF 1 with the shell,
 * and removes them at the end.
 */
public final class NetlinkScenario implements GuestScenario {

  private static final Path PF0 = Path.of("/sys/bus/pci/devices/0000:00:02.0");
  private static final Path PF1 = Path.of("/sys/bus/pci/devices/0000:00:04.0");
  private static final String ALT = "e2e-pf0-altname-longer-than-15";

  @Override
  public String name() {
    return "netlink";
  }

  @Override
  public void run(Evidence ev) throws Exception {
    ev.command(
        "create-vfs",
        List.of(
            "sh", "-c", "echo 3 > " + PF0 + "/sriov_numvfs && echo 1 > " + PF1 + "/sriov_numvfs"));
    String pf0 = netdev(PF0);
    String pf1 = netdev(PF1);
    try (RtnlClient rtnl = RtnlClient.open()) {
      links(ev, rtnl);
      details(ev, rtnl, pf0);
      vfAttributes(ev, rtnl, pf0);
      namespace(ev, rtnl, netdev(PF0.resolve("virtfn0")));
      bond(ev, rtnl, netdev(PF0.resolve("virtfn2")), netdev(PF1.resolve("virtfn0")));
      events(ev, rtnl, pf1);
    } finally {
      ev.command(
          "remove-vfs",
          List.of(
              "sh",
              "-c",
              "echo 0 > " + PF0 + "/sriov_numvfs && echo 0 > " + PF1 + "/sriov_numvfs"));
    }
  }

  private static void links(Evidence ev, RtnlClient rtnl) throws Exception {
    List<String> lines = new ArrayList<>();
    for (Link l : rtnl.links()) {
      lines.add(describe(l));
    }
    ev.lines("links", lines);
    ev.command("links.ip", List.of("ip", "-j", "-d", "link", "show"));
  }

  /**
   * {@link NetlinkDetailsDiscovery} over the real sysfs discovery: an altname added to PF 0 with
   * {@code ip link property add} shows on its netdev (igb has no devlink instance: no DDP profile).
   */
  private static void details(Evidence ev, RtnlClient rtnl, String pf) throws Exception {
    ev.value("details.pf", pf);
    ev.command("altname-add", List.of("ip", "link", "property", "add", "dev", pf, "altname", ALT));
    Optional<DevlinkClient> devlink = DevlinkClient.open();
    try {
      ev.value("details.devlink", Boolean.toString(devlink.isPresent()));
      DeviceDiscovery discovery =
          new NetlinkDetailsDiscovery(
              new SysfsDeviceDiscovery(SysfsRoot.system()),
              rtnl,
              devlink.map(DevlinkOperations.class::cast));
      ev.lines("details", details(discovery.discoverAll()));
      ev.lines("details-pf0", details(discovery.discoverPf(PciAddress.parse("0000:00:02.0"))));
      ev.command("details.ip", List.of("ip", "-j", "link", "show"));
    } finally {
      devlink.ifPresent(DevlinkClient::close);
      ev.command(
          "altname-del", List.of("ip", "link", "property", "del", "dev", pf, "altname", ALT));
    }
  }

  /** {@code address netdev altname,altname ddp} per PCI network device, "-" where absent. */
  private static List<String> details(DeviceDiscovery.Result r) {
    List<String> out = new ArrayList<>();
    for (Device d : r.devices()) {
      if (d instanceof PciNetDevice n) {
        out.add(
            String.join(
                " ",
                n.address().toString(),
                n.netdev().map(i -> i.name().toString()).orElse("-"),
                n.netdev()
                    .filter(i -> !i.altNames().isEmpty())
                    .map(i -> String.join(",", i.altNames()))
                    .orElse("-"),
                n.ddpProfile().orElse("-")));
      }
    }
    return out;
  }

  private static void vfAttributes(Evidence ev, RtnlClient rtnl, String pf) throws Exception {
    int idx = index(rtnl, pf);
    rtnl.setUp(idx, true);
    ev.value("pf.carrier", Boolean.toString(await(() -> rtnl.link(idx).orElseThrow().carrier())));
    rtnl.setVf(
        idx,
        VfConfig.forVf(VfIndex.of(0))
            .mac(MacAddress.parse("02:11:22:33:44:55"))
            .vlan(VfVlan.of(100, 3))
            .spoofCheck(false)
            .trust(true)
            .build());
    rtnl.setVf(idx, VfConfig.forVf(VfIndex.of(1)).rate(0, 100).build());
    ev.lines("vfs", vfLines(rtnl.vfs(idx, false)));
    ev.value("link.numvfs", rtnl.link(idx).orElseThrow().numVfs().toString());
    ev.command("vfs.ip", List.of("ip", "-j", "-d", "link", "show", pf));
    ev.value(
        "min-rate.error",
        error(() -> rtnl.setVf(idx, VfConfig.forVf(VfIndex.of(1)).rate(10, 100).build())));
    ev.value(
        "link-state.error",
        error(
            () ->
                rtnl.setVf(
                    idx, VfConfig.forVf(VfIndex.of(1)).linkState(VfLinkState.DISABLE).build())));
    ev.value(
        "vf-out-of-range.error",
        error(
            () ->
                rtnl.setVf(
                    idx,
                    VfConfig.forVf(VfIndex.of(7))
                        .mac(MacAddress.parse("02:11:22:33:44:66"))
                        .build())));
    batchedVfMacs(ev, rtnl, idx, pf);
    rtnl.setVf(
        idx,
        VfConfig.forVf(VfIndex.of(0))
            .mac(MacAddress.parse("00:00:00:00:00:00"))
            .vlan(VfVlan.of(0, 0))
            .spoofCheck(true)
            .trust(false)
            .build());
    rtnl.setVf(idx, VfConfig.forVf(VfIndex.of(1)).rate(0, 0).build());
    ev.lines("vfs-after-reset", vfLines(rtnl.vfs(idx, false)));
  }

  /**
   * Several VFs' MACs in one RTM_SETLINK (one IFLA_VF_INFO each in one IFLA_VFINFO_LIST), then a
   * batch the driver refuses at its second VF (out of range): the kernel keeps the first. VFs 1 and
   * 2 are put back to the zero MAC in one batch as well.
   */
  private static void batchedVfMacs(Evidence ev, RtnlClient rtnl, int idx, String pf)
      throws Exception {
    rtnl.setVfs(
        idx,
        List.of(
            VfConfig.forVf(VfIndex.of(0)).mac(MacAddress.parse("02:00:00:00:0b:00")).build(),
            VfConfig.forVf(VfIndex.of(1)).mac(MacAddress.parse("02:00:00:00:0b:01")).build(),
            VfConfig.forVf(VfIndex.of(2)).mac(MacAddress.parse("02:00:00:00:0b:02")).build()));
    ev.lines("vfs-batched", vfLines(rtnl.vfs(idx, false)));
    ev.command("vfs-batched.ip", List.of("ip", "-j", "link", "show", pf));
    ev.value(
        "batch-refused.error",
        error(
            () ->
                rtnl.setVfs(
                    idx,
                    List.of(
                        VfConfig.forVf(VfIndex.of(0))
                            .mac(MacAddress.parse("02:00:00:00:0c:00"))
                            .build(),
                        VfConfig.forVf(VfIndex.of(7))
                            .mac(MacAddress.parse("02:00:00:00:0c:07"))
                            .build()))));
    ev.lines("vfs-after-refused-batch", vfLines(rtnl.vfs(idx, false)));
    MacAddress zero = MacAddress.parse("00:00:00:00:00:00");
    rtnl.setVfs(
        idx,
        List.of(
            VfConfig.forVf(VfIndex.of(1)).mac(zero).build(),
            VfConfig.forVf(VfIndex.of(2)).mac(zero).build()));
  }

  private static void namespace(Evidence ev, RtnlClient rtnl, String vf) throws Exception {
    NetnsExecutor executor = new NetnsExecutor();
    NamedNetns named = new NamedNetns(Path.of("/run/netns"), executor);
    NetnsName name = NetnsName.of("e2e-nl");
    named.create(name);
    ev.value("vf", vf);
    try (NetNamespace ns = named.open(name).orElseThrow();
        NetNamespace host = NetNamespace.ofProcess(Path.of("/proc"), 1)) {
      rtnl.moveToNamespace(index(rtnl, vf), ns);
      ev.value("in-host-after-move", Boolean.toString(rtnl.link(vf).isPresent()));
      ev.command("in-ns.ip", List.of("ip", "-n", "e2e-nl", "-j", "link", "show"));
      try (RtnlClient inNs = RtnlClient.open(executor, ns)) {
        Link moved = inNs.link(vf).orElseThrow();
        ev.value("in-ns", describe(moved));
        inNs.moveToNamespace(moved.index(), host);
      }
      ev.value("in-host-after-return", Boolean.toString(rtnl.link(vf).isPresent()));
      ev.command("in-host.ip", List.of("ip", "-j", "link", "show", vf));
    } finally {
      ev.value("netns-deleted", Boolean.toString(named.delete(name)));
    }
  }

  private static void bond(Evidence ev, RtnlClient rtnl, String a, String b) throws Exception {
    InterfaceName bondName = InterfaceName.of("e2enlbond");
    Link bond =
        rtnl.create(
            new LinkSpec.Bond(
                bondName, BondOptions.builder(BondMode.ACTIVE_BACKUP).miimon(100).build()));
    ev.value("bond", describe(bond));
    ev.value("slaves.wanted", a + " " + b);
    for (String slave : List.of(a, b)) {
      int i = index(rtnl, slave);
      rtnl.setUp(i, false);
      rtnl.setMaster(i, bond.index());
    }
    rtnl.setUp(bond.index(), true);
    ev.value("master.a", rtnl.link(a).orElseThrow().master().toString());
    ev.value("bond.index", Integer.toString(bond.index()));
    ev.value(
        "slaves", Files.readString(Path.of("/sys/class/net/e2enlbond/bonding/slaves")).strip());
    ev.command("bond.ip", List.of("ip", "-j", "-d", "link", "show", "e2enlbond"));
    rtnl.clearMaster(index(rtnl, a));
    ev.value("master.a.cleared", rtnl.link(a).orElseThrow().master().toString());
    rtnl.delete(bond.index());
    ev.value("bond.deleted", Boolean.toString(rtnl.link("e2enlbond").isEmpty()));
  }

  private static void events(Evidence ev, RtnlClient rtnl, String pf) throws Exception {
    int idx = index(rtnl, pf);
    rtnl.setUp(idx, true);
    ev.value(
        "carrier.before", Boolean.toString(await(() -> rtnl.link(idx).orElseThrow().carrier())));
    BlockingQueue<LinkEvent> queue = new LinkedBlockingQueue<>();
    List<String> seen = new ArrayList<>();
    try (LinkMonitor monitor = NetlinkLinkMonitor.start();
        LinkMonitor.Subscription sub = monitor.subscribe(queue::add)) {
      ev.value(
          "snapshot",
          monitor.snapshot().stream()
              .filter(e -> e.name().toString().equals(pf))
              .map(NetlinkScenario::describe)
              .findFirst()
              .orElse("-"));
      ev.command("link-off", List.of("qmp.sh", "set_link", "pf1", "off"));
      ev.value(
          "event.off", waitFor(queue, seen, e -> e.name().toString().equals(pf) && !e.carrier()));
      ev.command("link-on", List.of("qmp.sh", "set_link", "pf1", "on"));
      ev.value(
          "event.on", waitFor(queue, seen, e -> e.name().toString().equals(pf) && e.carrier()));
    }
    ev.lines("events", seen);
  }

  private static String waitFor(
      BlockingQueue<LinkEvent> queue, List<String> seen, Predicate<LinkEvent> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      LinkEvent e = queue.poll(200, TimeUnit.MILLISECONDS);
      if (e != null) {
        seen.add(describe(e));
        if (wanted.test(e)) {
          return describe(e);
        }
      }
    }
    return "none within 20 s";
  }

  private static String describe(LinkEvent e) {
    return e.kind() + " " + e.name() + " " + e.operState() + " carrier=" + e.carrier();
  }

  /** {@code index name kind mtu mac operstate carrier parentbus parentdev numvfs}. */
  private static String describe(Link l) {
    return String.join(
        " ",
        Integer.toString(l.index()),
        l.name().toString(),
        l.kind().orElse("-"),
        Integer.toString(l.mtu()),
        l.mac().map(MacAddress::toString).orElse("-"),
        l.operState().toString(),
        Boolean.toString(l.carrier()),
        l.parentBusName().orElse("-"),
        l.parentDeviceName().orElse("-"),
        l.numVfs().isPresent() ? Integer.toString(l.numVfs().getAsInt()) : "-");
  }

  /** {@code vf mac vlan:qos,... min max spoofchk trust linkstate}. */
  private static List<String> vfLines(List<VfInfo> vfs) {
    List<String> out = new ArrayList<>();
    for (VfInfo v : vfs) {
      List<String> vlans = new ArrayList<>();
      v.vlans().forEach(x -> vlans.add(x.vlan() + ":" + x.qos()));
      out.add(
          String.join(
              " ",
              Integer.toString(v.vf().value()),
              v.mac().toString(),
              vlans.isEmpty() ? "-" : String.join(",", vlans),
              Integer.toString(v.minTxRateMbps()),
              Integer.toString(v.maxTxRateMbps()),
              v.spoofCheck().map(String::valueOf).orElse("-"),
              v.trust().map(String::valueOf).orElse("-"),
              v.linkState().toString()));
    }
    return out;
  }

  private interface Call {
    void call() throws Exception;
  }

  private static String error(Call call) {
    try {
      call.call();
      return "no error";
    } catch (Exception e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static boolean await(Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (check.ok()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private static int index(RtnlClient rtnl, String name) throws Exception {
    return rtnl.link(name).orElseThrow(() -> new IllegalStateException("no link " + name)).index();
  }

  private static String netdev(Path pciDevice) throws Exception {
    try (var s = Files.list(pciDevice.resolve("net"))) {
      return s.findFirst().orElseThrow().getFileName().toString();
    }
  }
}
