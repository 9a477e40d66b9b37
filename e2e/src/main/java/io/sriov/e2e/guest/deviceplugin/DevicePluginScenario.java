package io.sriov.e2e.guest.deviceplugin;

import io.grpc.StatusRuntimeException;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import io.sriov.core.value.DriverName;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.api.v1beta1.AllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.ContainerAllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.Device;
import io.sriov.deviceplugin.api.v1beta1.DevicePluginOptions;
import io.sriov.deviceplugin.api.v1beta1.DeviceSpec;
import io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse;
import io.sriov.deviceplugin.api.v1beta1.Mount;
import io.sriov.deviceplugin.api.v1beta1.RegisterRequest;
import io.sriov.e2e.guest.Evidence;
import io.sriov.e2e.guest.GuestScenario;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn.Listing;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn.Plugin;
import io.sriov.e2e.guest.deviceplugin.KubeletStandIn.Registration;
import io.sriov.netlink.event.NetlinkLinkMonitor;
import io.sriov.sysfs.KernelSysfsWriter;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.provision.ProvisionTimeouts;
import io.sriov.sysfs.provision.SriovProvisioner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The device plugin on the guest's real devices, as kubelet sees it. Creates 2 VFs on each igb PF
 * with sriov-sysfs and binds VF 1 of PF 0 to vfio-pci; writes an upstream-style config with a
 * netdevice pool (8086:10ca on igbvf) and a vfio pool (vfio-pci); starts the real executable
 * (sriov-deviceplugin-app's {@code DevicePluginMain}: real sysfs discovery, real netlink link
 * monitor) as a child process with kubelet's directories in a temp dir; then plays kubelet ({@link
 * KubeletStandIn}): registrations, options, ListAndWatch, Allocate (netdevice VF, vfio VF, unknown
 * ID), device-info files; drops and restores PF 1's carrier with QEMU {@code set_link} and times
 * the VFs' health in ListAndWatch; stops the plugin with SIGTERM and records what it left. Leaves
 * the PFs without VFs.
 */
public final class DevicePluginScenario implements GuestScenario {

  static final PciAddress PF0 = PciAddress.parse("0000:00:02.0");
  static final PciAddress PF1 = PciAddress.parse("0000:00:04.0");
  static final PciAddress VFIO_VF = PciAddress.parse("0000:00:12.2");
  static final String NETDEV_POOL = "igb_vf";
  static final String VFIO_POOL = "igb_vfio";
  private static final String CONFIG =
      """
      {
        "resourceList": [
          {
            "resourceName": "igb_vf",
            "selectors": {"vendors": ["8086"], "devices": ["10ca"], "drivers": ["igbvf"]}
          },
          {
            "resourceName": "igb_vfio",
            "selectors": {"vendors": ["8086"], "devices": ["10ca"], "drivers": ["vfio-pci"]}
          }
        ]
      }
      """;

  @Override
  public String name() {
    return "deviceplugin";
  }

  @Override
  public void run(Evidence ev) throws Exception {
    SysfsRoot root = SysfsRoot.system();
    try (KernelSysfsWriter writer = new KernelSysfsWriter()) {
      SriovProvisioner provisioner =
          new SriovProvisioner(root, writer, ProvisionTimeouts.defaults());
      try {
        String pf0 = netdev(PF0);
        String pf1 = netdev(PF1);
        ev.value("pf0", pf0);
        ev.value("pf1", pf1);
        for (String pf : List.of(pf0, pf1)) {
          ev.command("up." + pf, List.of("ip", "link", "set", "dev", pf, "up"));
        }
        provisioner.setNumVfs(PF0, 2);
        provisioner.setNumVfs(PF1, 2);
        provisioner.bindDriver(VFIO_VF, DriverName.of("vfio-pci"));
        ev.value("carrier." + pf0, Boolean.toString(awaitCarrier(pf0, true)));
        ev.value("carrier." + pf1, Boolean.toString(awaitCarrier(pf1, true)));
        ev.command("lspci", List.of("lspci", "-D", "-n"));
        ev.command("drivers", Evidence.DRIVER_LINKS);
        ev.command("vfio-dev", List.of("ls", "/dev/vfio"));
        ev.command(
            "pf1-vfs",
            List.of(
                "sh",
                "-c",
                "for v in /sys/bus/pci/devices/"
                    + PF1
                    + "/virtfn*; do basename $(readlink $v); done"));
        ev.value(
            "vfio.iommu-group",
            Files.readSymbolicLink(
                    Path.of("/sys/bus/pci/devices", VFIO_VF.toString(), "iommu_group"))
                .getFileName()
                .toString());
        withPlugin(ev, pf1);
      } finally {
        provisioner.bindDefaultDriver(VFIO_VF);
        provisioner.setNumVfs(PF0, 0);
        provisioner.setNumVfs(PF1, 0);
      }
    }
  }

  private static void withPlugin(Evidence ev, String pf1) throws Exception {
    Path dir = Files.createTempDirectory("sriov-e2e-dp-");
    Path kubelet = dir.resolve("kubelet");
    Path devicePlugins = Files.createDirectories(kubelet.resolve("device-plugins"));
    Path devinfo = dir.resolve("devinfo");
    Path config = Files.writeString(dir.resolve("config.json"), CONFIG);
    ev.value("config.json", CONFIG);
    try (KubeletStandIn kubeletStandIn = new KubeletStandIn(devicePlugins).start()) {
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "--enable-native-access=ALL-UNNAMED",
              "-cp",
              System.getProperty("java.class.path"),
              "io.sriov.deviceplugin.app.DevicePluginMain",
              "--config-file=" + config,
              "--kubelet-dir=" + kubelet,
              "--device-info-dir=" + devinfo,
              "--cdi-dir=" + dir.resolve("cdi"));
      ev.lines("plugin.command", command.subList(command.indexOf("-cp") + 2, command.size()));
      long started = System.nanoTime();
      Process plugin =
          new ProcessBuilder(command)
              .redirectOutput(ev.dir().resolve("plugin.out").toFile())
              .redirectError(ev.dir().resolve("plugin.err").toFile())
              .start();
      try {
        Map<String, Registration> regs = new TreeMap<>();
        for (int i = 0; i < 2; i++) {
          Registration r = kubeletStandIn.nextRegistration(i == 0 ? 120 : 30);
          if (r == null) {
            throw new IllegalStateException(
                "no registration within the timeout; plugin alive=" + plugin.isAlive());
          }
          regs.put(r.request().getResourceName(), r);
        }
        ev.value("registered-ms", Long.toString(ms(started, regs.values().stream())));
        ev.lines("registrations", regs.values().stream().map(r -> describe(r.request())).toList());
        try (Plugin netdev = kubeletStandIn.plugin(endpoint(regs, NETDEV_POOL));
            Plugin vfio = kubeletStandIn.plugin(endpoint(regs, VFIO_POOL))) {
          ev.value("options." + NETDEV_POOL, describe(netdev.options()));
          ev.value("options." + VFIO_POOL, describe(vfio.options()));
          netdev.watch();
          vfio.watch();
          List<String> netdevList = describe(require(netdev.next(30), "first list").response());
          List<String> vfioList = describe(require(vfio.next(30), "first list").response());
          ev.lines("list." + NETDEV_POOL, netdevList);
          ev.lines("list." + VFIO_POOL, vfioList);
          allocate(ev, "netdev", netdev, List.of("0000:00:12.0"));
          allocate(ev, "vfio", vfio, List.of(VFIO_VF.toString()));
          ev.value("unknown.error", error(() -> netdev.allocate(List.of("0000:00:1f.7"))));
          ev.lines("devinfo.files", list(devinfo));
          ev.value("devinfo.netdev", deviceInfo(devinfo, NETDEV_POOL, "0000:00:12.0"));
          ev.value("devinfo.vfio", deviceInfo(devinfo, VFIO_POOL, VFIO_VF.toString()));
          health(ev, netdev, vfio, pf1);
        }
      } finally {
        plugin.destroy();
        boolean ended = plugin.waitFor(30, TimeUnit.SECONDS);
        ev.value("plugin.exit", ended ? Integer.toString(plugin.exitValue()) : "still running");
        if (!ended) {
          plugin.destroyForcibly().waitFor();
        }
        ev.lines("sockets.after-stop", list(devicePlugins));
        ev.lines("devinfo.after-stop", list(devinfo));
      }
    }
  }

  private static void allocate(Evidence ev, String name, Plugin plugin, List<String> ids)
      throws IOException {
    AllocateResponse r = plugin.allocate(ids);
    ev.lines("allocate." + name, describe(r.getContainerResponses(0)));
    List<String> exists = new ArrayList<>();
    for (DeviceSpec d : r.getContainerResponses(0).getDevicesList()) {
      exists.add(d.getHostPath() + " " + Files.exists(Path.of(d.getHostPath())));
    }
    ev.lines("allocate." + name + ".host-paths", exists);
  }

  /**
   * PF 1's carrier off, then on, with QEMU set_link: records the lists ListAndWatch delivered, and
   * the latencies from starting qmp.sh and from the kernel's link event (seen by a monitor of our
   * own, in this JVM) to the list showing PF 1's VFs Unhealthy, then Healthy again.
   */
  private static void health(Evidence ev, Plugin netdev, Plugin vfio, String pf1) throws Exception {
    List<String> vfsOfPf1 = List.of("0000:00:14.0", "0000:00:14.2");
    // (nanoTime, carrier) of PF 1's link events, as a monitor of our own sees them.
    List<long[]> kernelEvents = new ArrayList<>();
    try (LinkMonitor monitor = NetlinkLinkMonitor.start();
        LinkMonitor.Subscription sub =
            monitor.subscribe(
                e -> {
                  if (e.name().value().equals(pf1) && e.kind() == LinkEvent.Kind.CHANGED) {
                    synchronized (kernelEvents) {
                      kernelEvents.add(new long[] {System.nanoTime(), e.carrier() ? 1 : 0});
                    }
                  }
                })) {
      for (boolean on : List.of(false, true)) {
        String state = on ? "on" : "off";
        String wanted = on ? "Healthy" : "Unhealthy";
        long before = System.nanoTime();
        ev.command("link-" + state, List.of("qmp.sh", "set_link", "pf1", state));
        List<String> seen = new ArrayList<>();
        Listing hit =
            awaitList(
                netdev,
                seen,
                r -> {
                  Map<String, String> h = health(r);
                  return vfsOfPf1.stream().allMatch(id -> wanted.equals(h.get(id)));
                });
        ev.lines("health." + state + ".lists", seen);
        if (hit == null) {
          ev.value("health." + state, "no list within 30 s");
          continue;
        }
        ev.lines("health." + state, describe(hit.response()));
        ev.value("health." + state + ".after-command-ms", Long.toString(ms(before, hit.atNanos())));
        long[] event;
        synchronized (kernelEvents) {
          event =
              kernelEvents.stream()
                  .filter(t -> t[0] >= before && t[1] == (on ? 1 : 0))
                  .findFirst()
                  .orElse(null);
          kernelEvents.clear();
        }
        ev.value(
            "health." + state + ".after-kernel-event-ms",
            event == null ? "no event" : Long.toString(ms(event[0], hit.atNanos())));
      }
    }
    List<String> vfioLists = new ArrayList<>();
    for (Listing l; (l = vfio.lists.poll()) != null; ) {
      vfioLists.add(String.join(",", describe(l.response())));
    }
    ev.lines("health.vfio-lists", vfioLists);
  }

  private static Listing awaitList(
      Plugin plugin, List<String> seen, Predicate<ListAndWatchResponse> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Listing l = plugin.lists.poll(200, TimeUnit.MILLISECONDS);
      if (l != null) {
        seen.add(String.join(",", describe(l.response())));
        if (wanted.test(l.response())) {
          return l;
        }
      }
    }
    return null;
  }

  private static Map<String, String> health(ListAndWatchResponse r) {
    Map<String, String> out = new TreeMap<>();
    r.getDevicesList().forEach(d -> out.put(d.getID(), d.getHealth()));
    return out;
  }

  /** {@code resource endpoint version preferred=.. prestart=..}. */
  private static String describe(RegisterRequest r) {
    return String.join(
        " ",
        r.getResourceName(),
        r.getEndpoint(),
        r.getVersion(),
        "preferred=" + r.getOptions().getGetPreferredAllocationAvailable(),
        "prestart=" + r.getOptions().getPreStartRequired());
  }

  private static String describe(DevicePluginOptions o) {
    return "preferred="
        + o.getGetPreferredAllocationAvailable()
        + " prestart="
        + o.getPreStartRequired();
  }

  /** {@code id health numa-nodes}, sorted by ID. */
  private static List<String> describe(ListAndWatchResponse r) {
    List<String> out = new ArrayList<>();
    for (Device d : r.getDevicesList()) {
      List<String> numa = new ArrayList<>();
      d.getTopology().getNodesList().forEach(n -> numa.add(Long.toString(n.getID())));
      out.add(
          d.getID() + " " + d.getHealth() + " " + (numa.isEmpty() ? "-" : String.join(",", numa)));
    }
    out.sort(null);
    return out;
  }

  /** {@code env K=V}, {@code device container host perms}, {@code mount ...}, sorted by kind. */
  private static List<String> describe(ContainerAllocateResponse r) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(r.getEnvsMap()).forEach((k, v) -> out.add("env " + k + "=" + v));
    for (DeviceSpec d : r.getDevicesList()) {
      out.add("device " + d.getContainerPath() + " " + d.getHostPath() + " " + d.getPermissions());
    }
    for (Mount m : r.getMountsList()) {
      out.add("mount " + m.getContainerPath() + " " + m.getHostPath() + " " + m.getReadOnly());
    }
    new TreeMap<>(r.getAnnotationsMap()).forEach((k, v) -> out.add("annotation " + k + "=" + v));
    return out;
  }

  /** The device-info file CNI reads for {@code id} (upstream's name), or "missing". */
  private static String deviceInfo(Path dir, String pool, String id) throws IOException {
    Path file = dir.resolve("intel.com-" + pool + "-" + id + "-device.json");
    return Files.exists(file) ? Files.readString(file) : "missing " + file.getFileName();
  }

  private static String endpoint(Map<String, Registration> regs, String pool) {
    Registration r = regs.get("intel.com/" + pool);
    if (r == null) {
      throw new IllegalStateException("no registration for intel.com/" + pool + ": " + regs);
    }
    return r.request().getEndpoint();
  }

  private static <T> T require(T value, String what) {
    if (value == null) {
      throw new IllegalStateException(what + " not received within the timeout");
    }
    return value;
  }

  private interface Call {
    Object call() throws Exception;
  }

  private static String error(Call call) {
    try {
      return "no error: " + call.call();
    } catch (StatusRuntimeException e) {
      return "StatusRuntimeException: " + e.getMessage();
    } catch (Exception e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static long ms(long fromNanos, long toNanos) {
    return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
  }

  private static long ms(long fromNanos, Stream<Registration> regs) {
    return ms(fromNanos, regs.mapToLong(Registration::atNanos).max().orElseThrow());
  }

  private static List<String> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static boolean awaitCarrier(String netdev, boolean wanted) throws Exception {
    Path carrier = Path.of("/sys/class/net", netdev, "carrier");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Files.readString(carrier, StandardCharsets.US_ASCII)
            .strip()
            .equals(wanted ? "1" : "0")) {
          return true;
        }
      } catch (IOException e) {
        // EINVAL while the link is down: not yet.
      }
      Thread.sleep(100);
    }
    return false;
  }

  private static String netdev(PciAddress pci) throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/sys/bus/pci/devices", pci.toString(), "net"))) {
      return s.findFirst().orElseThrow().getFileName().toString();
    }
  }
}
