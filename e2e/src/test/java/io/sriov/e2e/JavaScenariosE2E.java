package io.sriov.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.e2e.harness.GuestJvm;
import io.sriov.e2e.harness.GuestRun;
import io.sriov.e2e.harness.TestVm;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The project's code against the guest's real kernel: one boot, one guest JVM ({@code
 * io.sriov.e2e.guest.GuestMain}) runs every guest-side scenario; each nested class judges one
 * scenario's evidence against what the guest's own tools reported in the same run.
 */
class JavaScenariosE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static GuestRun run;

  @BeforeAll
  static void boot() throws Exception {
    // the cluster scenario starts a second JVM (the daemon) and waits for it to converge three
    // times: more than the default 10 minutes under a loaded host
    run =
        TestVm.run(
            TestVm.request("java", GuestJvm.command("java", List.of()))
                .withTimeout(Duration.ofMinutes(30)));
  }

  static String v(String relative) {
    return run.text("java/" + relative)
        .orElseThrow(
            () ->
                new AssertionError(
                    "guest recorded no java/" + relative + "\n" + run.diagnostics()));
  }

  static JsonNode json(String relative) throws Exception {
    return JSON.readTree(v(relative));
  }

  static void assertScenarioOk(String scenario) {
    assertThat(v(scenario + "/result"))
        .as(
            scenario
                + " failed in the guest:\n"
                + run.text("java/" + scenario + "/error").orElse(""))
        .isEqualTo("ok");
  }

  /** ifname -> link, from {@code ip -j link} output. */
  static Map<String, JsonNode> byName(JsonNode links) {
    Map<String, JsonNode> out = new HashMap<>();
    links.forEach(l -> out.put(l.path("ifname").asText(), l));
    return out;
  }

  @Test
  void guestJvmRanEveryScenario() {
    assertThat(run.exitCode()).as(run.diagnostics()).isZero();
    assertThat(v("ran").lines())
        .containsExactly(
            "jvm", "sysfs", "netlink", "deviceplugin", "vf-traffic", "cluster", "node-engine");
  }

  @Nested
  class Jvm {
    @Test
    void guestJvmIsThisJdkOnTheGuestKernel() {
      assertScenarioOk("jvm");
      assertThat(v("jvm/java.version")).isEqualTo(Runtime.version().toString());
      assertThat(v("jvm/os.version")).startsWith("6.12.").isEqualTo(v("jvm/uname.out"));
      assertThat(Long.parseLong(v("jvm/uptime-at-main-ms"))).isPositive();
    }
  }

  /** sriov-sysfs: SriovProvisioner and SysfsDeviceDiscovery on real igb/igbvf devices. */
  @Nested
  class Sysfs {

    /** address -> discovery line fields. */
    private Map<String, String[]> discovered(String file) {
      Map<String, String[]> out = new HashMap<>();
      v("sysfs/" + file).lines().forEach(l -> out.put(l.split(" ")[0], l.split(" ")));
      return out;
    }

    @Test
    void scenarioRan() {
      assertScenarioOk("sysfs");
    }

    @Test
    void provisionerCreatesAndRemovesVfsIdempotently() {
      assertThat(v("sysfs/create.pf0")).isEqualTo("0 3 true");
      assertThat(v("sysfs/create.pf1")).isEqualTo("0 2 true");
      assertThat(v("sysfs/create.pf0.again")).isEqualTo("3 3 false");
      assertThat(v("sysfs/remove.pf0")).isEqualTo("3 0 true");
      assertThat(v("sysfs/remove.pf1")).isEqualTo("2 0 true");
    }

    @Test
    void provisionerErrorsNameDeviceOperationAndErrno() {
      assertThat(v("sysfs/over-total.error"))
          .isEqualTo(
              "SysfsException: write sriov_numvfs=8 for 0000:00:04.0: ERANGE (Numerical result"
                  + " out of range): requested 8 VFs but sriov_totalvfs is 7");
      assertThat(v("sysfs/not-sriov.error"))
          .isEqualTo(
              "SysfsException: write sriov_numvfs=1 for 0000:00:1f.0: ENOENT (No such file or"
                  + " directory): not SR-IOV capable (no sriov_totalvfs)");
      assertThat(v("sysfs/bind-missing-driver.error"))
          .isEqualTo(
              "SysfsException: bind nosuchdrv for 0000:00:12.2: ENOENT (No such file or"
                  + " directory): driver nosuchdrv is not loaded (no"
                  + " /sys/bus/pci/drivers/nosuchdrv)");
    }

    @Test
    void discoveryEqualsLspciIpAndTheDriverLinks() throws Exception {
      Map<String, String[]> disc = discovered("discovery");
      // Every network function lspci lists, and nothing else.
      List<String> lspciNet =
          v("sysfs/lspci.out").lines().filter(l -> l.split(" ")[1].equals("0200:")).toList();
      assertThat(disc.keySet())
          .containsExactlyInAnyOrderElementsOf(
              lspciNet.stream().map(l -> l.split(" ")[0]).toList());
      for (String l : lspciNet) {
        String[] f = l.split(" ");
        assertThat(disc.get(f[0])[6]).as(f[0]).isEqualTo(f[2]);
      }
      Map<String, String> drivers = new HashMap<>();
      v("sysfs/drivers.out")
          .lines()
          .forEach(
              l ->
                  drivers.put(
                      l.split(" ")[0],
                      l.contains(" ") && l.split(" ").length > 1 ? l.split(" ")[1] : "-"));
      Map<String, JsonNode> links = byName(json("sysfs/ip-link.out"));
      for (String[] d : disc.values()) {
        assertThat(d[4]).as("driver of " + d[0]).isEqualTo(drivers.get(d[0]));
        JsonNode link = links.get(d[5]);
        assertThat(link).as("ip link " + d[5]).isNotNull();
        assertThat(link.path("parentdev").asText()).as(d[5]).isEqualTo(d[0]);
      }
      assertThat(disc.get("0000:00:02.0")[1]).isEqualTo("pf(3/7)");
      assertThat(disc.get("0000:00:04.0")[1]).isEqualTo("pf(2/7)");
      Map<String, String> vfs =
          Map.of(
              "0000:00:12.0", "0000:00:02.0 0",
              "0000:00:12.2", "0000:00:02.0 1",
              "0000:00:12.4", "0000:00:02.0 2",
              "0000:00:14.0", "0000:00:04.0 0",
              "0000:00:14.2", "0000:00:04.0 1");
      vfs.forEach(
          (vf, pfAndIndex) -> {
            assertThat(disc.get(vf)[1]).isEqualTo("vf");
            assertThat(disc.get(vf)[2] + " " + disc.get(vf)[3]).as(vf).isEqualTo(pfAndIndex);
            assertThat(disc.get(vf)[7]).as("iommu group of " + vf).matches("[0-9]+");
          });
    }

    @Test
    void discoveryOfOnePfAndBeforeAndAfter() {
      Map<String, String[]> during = discovered("discovery");
      assertThat(v("sysfs/discovery-pf1").lines())
          .containsExactlyInAnyOrderElementsOf(
              v("sysfs/discovery")
                  .lines()
                  .filter(l -> l.startsWith("0000:00:04.0 ") || l.contains(" 0000:00:04.0 "))
                  .toList());
      for (String file : List.of("discovery-before", "discovery-after")) {
        Map<String, String[]> pfsOnly = discovered(file);
        assertThat(pfsOnly.keySet()).containsExactlyInAnyOrder("0000:00:02.0", "0000:00:04.0");
        pfsOnly.forEach(
            (pf, fields) -> {
              assertThat(fields[1]).as(file + " " + pf).isEqualTo("pf(0/7)");
              fields[1] = during.get(pf)[1];
              assertThat(fields).as(file + " " + pf).containsExactly(during.get(pf));
            });
      }
    }

    @Test
    void aVfMovesToVfioPciAndBackAsTheKernelSees() {
      assertThat(v("sysfs/vfio.previous")).isEqualTo("igbvf");
      assertThat(v("sysfs/vfio.current")).isEqualTo("vfio-pci");
      assertThat(v("sysfs/vfio.drivers.out").lines()).contains("0000:00:12.2 vfio-pci");
      String[] vf =
          v("sysfs/vfio.discovery-pf0")
              .lines()
              .filter(l -> l.startsWith("0000:00:12.2"))
              .findFirst()
              .orElseThrow()
              .split(" ");
      assertThat(vf[4]).isEqualTo("vfio-pci");
      assertThat(vf[5]).as("no netdev while on vfio-pci").isEqualTo("-");
      assertThat(v("sysfs/vfio.dev.out").lines()).contains(vf[7], "vfio");
      assertThat(v("sysfs/vfio.again")).as("binding again is a no-op").isEqualTo("vfio-pci");
      assertThat(v("sysfs/default.driver")).isEqualTo("igbvf");
      assertThat(v("sysfs/default.current")).isEqualTo("igbvf");
    }
  }

  /** sriov-netlink: RtnlClient, NamedNetns and NetlinkLinkMonitor on the real kernel. */
  @Nested
  class Netlink {

    @Test
    void scenarioRan() {
      assertScenarioOk("netlink");
      assertThat(v("netlink/create-vfs.rc")).isEqualTo("0");
      assertThat(v("netlink/remove-vfs.rc")).isEqualTo("0");
    }

    @Test
    void linksEqualIpLink() throws Exception {
      Map<String, JsonNode> ip = byName(json("netlink/links.ip.out"));
      List<String> links = v("netlink/links").lines().toList();
      assertThat(links.stream().map(l -> l.split(" ")[1]).toList())
          .containsExactlyInAnyOrderElementsOf(ip.keySet());
      for (String line : links) {
        String[] f = line.split(" ");
        JsonNode l = ip.get(f[1]);
        assertThat(Integer.parseInt(f[0])).as(f[1]).isEqualTo(l.path("ifindex").asInt());
        assertThat(Integer.parseInt(f[3])).as(f[1]).isEqualTo(l.path("mtu").asInt());
        assertThat(f[4]).as(f[1]).isEqualTo(l.path("address").asText());
        assertThat(f[5]).as(f[1]).isEqualTo(l.path("operstate").asText());
        assertThat(f[8]).as(f[1]).isEqualTo(l.path("parentdev").asText("-"));
      }
    }

    @Test
    void discoveryWithNetlinkDetailsReportsAltNamesAsIpShowsThem() throws Exception {
      String alt = "e2e-pf0-altname-longer-than-15";
      String pf = v("netlink/details.pf");
      assertThat(v("netlink/altname-add.rc")).isEqualTo("0");
      assertThat(v("netlink/altname-del.rc")).isEqualTo("0");
      Map<String, JsonNode> ip = byName(json("netlink/details.ip.out"));
      assertThat(ip.get(pf).path("altnames").toString()).contains("\"" + alt + "\"");
      List<String> lines = v("netlink/details").lines().toList();
      assertThat(lines).as("2 PFs, 3 + 1 VFs").hasSize(6);
      assertThat(lines).contains("0000:00:02.0 " + pf + " " + alt + " -");
      for (String line : lines) {
        String[] f = line.split(" ");
        assertThat(f).as(line).hasSize(4);
        assertThat(f[3]).as("igb has no DDP profile: " + line).isEqualTo("-");
        if (!f[1].equals("-")) {
          List<String> ipAlt = new java.util.ArrayList<>();
          ip.get(f[1]).path("altnames").forEach(n -> ipAlt.add(n.asText()));
          assertThat(f[2]).as(line).isEqualTo(ipAlt.isEmpty() ? "-" : String.join(",", ipAlt));
        }
      }
      assertThat(v("netlink/details-pf0").lines())
          .containsExactlyInAnyOrderElementsOf(
              lines.stream()
                  .filter(l -> l.startsWith("0000:00:02.0 ") || l.startsWith("0000:00:12."))
                  .toList());
    }

    @Test
    void vfAttributesSetThroughNetlinkReadBackAsIpShowsThem() throws Exception {
      assertThat(v("netlink/pf.carrier")).isEqualTo("true");
      List<String> vfs = v("netlink/vfs").lines().toList();
      assertThat(vfs)
          .containsExactly(
              "0 02:11:22:33:44:55 100:3 0 0 false true AUTO",
              "1 00:00:00:00:00:00 0:0 0 100 true false AUTO",
              "2 00:00:00:00:00:00 0:0 0 0 true false AUTO");
      JsonNode ip = json("netlink/vfs.ip.out").get(0).path("vfinfo_list");
      assertThat(ip).hasSize(vfs.size());
      for (int i = 0; i < vfs.size(); i++) {
        String[] f = vfs.get(i).split(" ");
        JsonNode vf = ip.get(i);
        assertThat(f[1]).isEqualTo(vf.path("address").asText());
        assertThat(f[3] + " " + f[4])
            .isEqualTo(
                vf.path("rate").path("min_tx").asInt()
                    + " "
                    + vf.path("rate").path("max_tx").asInt());
        assertThat(f[5]).isEqualTo(vf.path("spoofchk").asText());
        assertThat(f[6]).isEqualTo(vf.path("trust").asText());
        assertThat(f[7].toLowerCase()).isEqualTo(vf.path("link_state").asText());
        JsonNode vlan = vf.path("vlan_list").get(0);
        assertThat(f[2]).isEqualTo(vlan.path("vlan").asInt(0) + ":" + vlan.path("qos").asInt(0));
      }
      assertThat(v("netlink/vfs-after-reset").lines())
          .containsExactly(
              "0 00:00:00:00:00:00 0:0 0 0 true false AUTO",
              "1 00:00:00:00:00:00 0:0 0 0 true false AUTO",
              "2 00:00:00:00:00:00 0:0 0 0 true false AUTO");
    }

    @Test
    void severalVfMacsInOneRequestReadBackAsIpShowsThemAndARefusedBatchKeepsItsPrefix()
        throws Exception {
      List<String> vfs = v("netlink/vfs-batched").lines().toList();
      assertThat(vfs)
          .containsExactly(
              "0 02:00:00:00:0b:00 100:3 0 0 false true AUTO",
              "1 02:00:00:00:0b:01 0:0 0 100 true false AUTO",
              "2 02:00:00:00:0b:02 0:0 0 0 true false AUTO");
      JsonNode ip = json("netlink/vfs-batched.ip.out").get(0).path("vfinfo_list");
      assertThat(ip).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertThat(ip.get(i).path("address").asText()).isEqualTo("02:00:00:00:0b:0" + i);
      }
      // do_setlink stops at VF 7 (igb: EINVAL out of range) after setting VF 0
      assertThat(v("netlink/batch-refused.error"))
          .isEqualTo("ErrnoException: RTM_SETLINK PF ifindex 2 vfs 0,7: EINVAL (Invalid argument)");
      assertThat(v("netlink/vfs-after-refused-batch").lines())
          .containsExactly(
              "0 02:00:00:00:0c:00 100:3 0 0 false true AUTO",
              "1 02:00:00:00:0b:01 0:0 0 100 true false AUTO",
              "2 02:00:00:00:0b:02 0:0 0 0 true false AUTO");
    }

    @Test
    void vfAttributesIgbRefusesAreErrnoExceptions() {
      assertThat(v("netlink/min-rate.error"))
          .isEqualTo("ErrnoException: RTM_SETLINK PF ifindex 2 vf 1: EINVAL (Invalid argument)");
      assertThat(v("netlink/link-state.error"))
          .isEqualTo(
              "ErrnoException: RTM_SETLINK PF ifindex 2 vf 1: EOPNOTSUPP (Operation not"
                  + " supported)");
      assertThat(v("netlink/vf-out-of-range.error"))
          .isEqualTo("ErrnoException: RTM_SETLINK PF ifindex 2 vf 7: EINVAL (Invalid argument)");
    }

    @Test
    void aVfNetdevMovesIntoANamedNamespaceAndBack() throws Exception {
      String vf = v("netlink/vf");
      assertThat(v("netlink/in-host-after-move")).isEqualTo("false");
      assertThat(byName(json("netlink/in-ns.ip.out"))).containsKeys(vf, "lo");
      assertThat(v("netlink/in-ns").split(" ")[1]).isEqualTo(vf);
      assertThat(v("netlink/in-ns").split(" ")[8]).isEqualTo("0000:00:12.0");
      assertThat(v("netlink/in-host-after-return")).isEqualTo("true");
      assertThat(byName(json("netlink/in-host.ip.out"))).containsOnlyKeys(vf);
      assertThat(v("netlink/netns-deleted")).isEqualTo("true");
    }

    @Test
    void aBondOfTwoVfsOfDifferentPfs() throws Exception {
      assertThat(v("netlink/bond").split(" ")[2]).isEqualTo("bond");
      assertThat(v("netlink/slaves")).isEqualTo(v("netlink/slaves.wanted"));
      assertThat(v("netlink/master.a")).isEqualTo("OptionalInt[" + v("netlink/bond.index") + "]");
      JsonNode info = json("netlink/bond.ip.out").get(0).path("linkinfo");
      assertThat(info.path("info_data").path("mode").asText()).isEqualTo("active-backup");
      assertThat(info.path("info_data").path("miimon").asInt()).isEqualTo(100);
      assertThat(v("netlink/master.a.cleared")).isEqualTo("OptionalInt.empty");
      assertThat(v("netlink/bond.deleted")).isEqualTo("true");
    }

    @Test
    void linkMonitorSeesQemuCarrierLossAndReturn() {
      assertThat(v("netlink/carrier.before")).isEqualTo("true");
      assertThat(v("netlink/snapshot")).isEqualTo("PRESENT eth1 UP carrier=true");
      assertThat(v("netlink/link-off.out")).isEqualTo("{\"return\": {}}");
      assertThat(v("netlink/event.off")).isEqualTo("CHANGED eth1 DOWN carrier=false");
      assertThat(v("netlink/event.on")).isEqualTo("CHANGED eth1 UP carrier=true");
    }
  }

  /**
   * sriov-deviceplugin: the real executable on igb VFs, seen through a kubelet stand-in; device
   * IDs, drivers and vfio groups are compared with what lspci, the driver links and /dev/vfio said
   * in the same run.
   */
  @Nested
  class DevicePlugin {

    /** address -> driver, from the guest's driver links. */
    private Map<String, String> drivers() {
      Map<String, String> out = new HashMap<>();
      v("deviceplugin/drivers.out")
          .lines()
          .map(l -> l.split(" "))
          .forEach(f -> out.put(f[0], f.length > 1 ? f[1] : "-"));
      return out;
    }

    /** The 82576 VFs (8086:10ca) lspci lists that are bound to {@code driver}, sorted. */
    private List<String> vfsOn(String driver) {
      Map<String, String> drivers = drivers();
      return v("deviceplugin/lspci.out")
          .lines()
          .map(l -> l.split(" "))
          .filter(f -> f[2].equals("8086:10ca") && driver.equals(drivers.get(f[0])))
          .map(f -> f[0])
          .sorted()
          .toList();
    }

    /** id -> health of a recorded list ({@code id health numa} lines). */
    private Map<String, String> health(String file) {
      Map<String, String> out = new HashMap<>();
      v("deviceplugin/" + file).lines().forEach(l -> out.put(l.split(" ")[0], l.split(" ")[1]));
      return out;
    }

    private Map<String, String> envs(String file) {
      Map<String, String> out = new HashMap<>();
      v("deviceplugin/" + file)
          .lines()
          .filter(l -> l.startsWith("env "))
          .forEach(l -> out.put(l.substring(4, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
      return out;
    }

    @Test
    void scenarioRan() {
      assertScenarioOk("deviceplugin");
      assertThat(v("deviceplugin/carrier.eth0")).isEqualTo("true");
      assertThat(v("deviceplugin/carrier.eth1")).isEqualTo("true");
    }

    @Test
    void bothPoolsRegisterWithKubeletAsUpstreamNamesThem() {
      assertThat(v("deviceplugin/registrations").lines())
          .containsExactly(
              "intel.com/igb_vf intel.com_igb_vf.sock v1beta1 preferred=true prestart=false",
              "intel.com/igb_vfio intel.com_igb_vfio.sock v1beta1 preferred=true prestart=false");
      assertThat(v("deviceplugin/options.igb_vf")).isEqualTo("preferred=true prestart=false");
      assertThat(v("deviceplugin/options.igb_vfio")).isEqualTo("preferred=true prestart=false");
      assertThat(Long.parseLong(v("deviceplugin/registered-ms"))).isPositive();
    }

    @Test
    void listAndWatchAdvertisesExactlyTheVfsLspciAndTheDriverLinksShow() {
      List<String> netdev = vfsOn("igbvf");
      List<String> vfio = vfsOn("vfio-pci");
      assertThat(netdev).hasSize(3);
      assertThat(vfio).containsExactly("0000:00:12.2");
      // No NUMA node in this guest (numa_node -1): no topology, as upstream.
      assertThat(v("deviceplugin/list.igb_vf").lines())
          .containsExactlyElementsOf(netdev.stream().map(id -> id + " Healthy -").toList());
      assertThat(v("deviceplugin/list.igb_vfio").lines())
          .containsExactlyElementsOf(vfio.stream().map(id -> id + " Healthy -").toList());
    }

    @Test
    void allocateANetdeviceVf() throws Exception {
      Map<String, String> env = envs("allocate.netdev");
      assertThat(env)
          .containsOnlyKeys("PCIDEVICE_INTEL_COM_IGB_VF", "PCIDEVICE_INTEL_COM_IGB_VF_INFO");
      assertThat(env.get("PCIDEVICE_INTEL_COM_IGB_VF")).isEqualTo("0000:00:12.0");
      assertThat(JSON.readTree(env.get("PCIDEVICE_INTEL_COM_IGB_VF_INFO")))
          .isEqualTo(
              JSON.readTree("{\"0000:00:12.0\":{\"generic\":{\"deviceID\":\"0000:00:12.0\"}}}"));
      assertThat(v("deviceplugin/allocate.netdev").lines())
          .as("no device nodes for a kernel netdevice")
          .allMatch(l -> l.startsWith("env "));
      JsonNode info = json("deviceplugin/devinfo.netdev");
      assertThat(info.path("type").asText()).isEqualTo("pci");
      assertThat(info.path("version").asText()).isEqualTo("1.1.0");
      assertThat(info.path("pci").path("pci-address").asText()).isEqualTo("0000:00:12.0");
    }

    @Test
    void allocateTheVfioVfGivesItsIommuGroupNodeThatExistsInTheGuest() throws Exception {
      String group = v("deviceplugin/vfio.iommu-group");
      assertThat(v("deviceplugin/vfio-dev.out").lines()).contains("vfio", group);
      Map<String, String> env = envs("allocate.vfio");
      assertThat(env.get("PCIDEVICE_INTEL_COM_IGB_VFIO")).isEqualTo("0000:00:12.2");
      JsonNode info =
          JSON.readTree(env.get("PCIDEVICE_INTEL_COM_IGB_VFIO_INFO")).path("0000:00:12.2");
      assertThat(info.path("generic").path("deviceID").asText()).isEqualTo("0000:00:12.2");
      assertThat(info.path("vfio").path("mount").asText()).isEqualTo("/dev/vfio/vfio");
      assertThat(info.path("vfio").path("dev-mount").asText()).isEqualTo("/dev/vfio/" + group);
      assertThat(v("deviceplugin/allocate.vfio").lines().filter(l -> l.startsWith("device ")))
          .containsExactly(
              "device /dev/vfio/vfio /dev/vfio/vfio rw",
              "device /dev/vfio/" + group + " /dev/vfio/" + group + " rw");
      assertThat(v("deviceplugin/allocate.vfio.host-paths").lines())
          .containsExactly("/dev/vfio/vfio true", "/dev/vfio/" + group + " true");
      assertThat(json("deviceplugin/devinfo.vfio").path("pci").path("pci-address").asText())
          .isEqualTo("0000:00:12.2");
      List<String> devinfoFiles = v("deviceplugin/devinfo.files").lines().toList();
      assertThat(devinfoFiles)
          .hasSize(3)
          .contains(
              "intel.com-igb_vf-0000:00:12.0-device.json",
              "intel.com-igb_vfio-0000:00:12.2-device.json");
      // the instance's ledger of the pools served, for a later start's cleanup
      assertThat(devinfoFiles.get(0)).matches("\\.sriov-dp-resources\\.[0-9a-f]{16}");
    }

    @Test
    void allocateAnUnknownIdIsRejectedNamingIt() {
      assertThat(v("deviceplugin/unknown.error"))
          .isEqualTo(
              "StatusRuntimeException: INVALID_ARGUMENT: device \"0000:00:1f.7\" is not in"
                  + " resource intel.com/igb_vf");
    }

    @Test
    void pf1CarrierLossMakesItsVfsUnhealthyAndReturnHealthyAgain() {
      List<String> pf1Vfs = v("deviceplugin/pf1-vfs.out").lines().toList();
      assertThat(pf1Vfs).containsExactly("0000:00:14.0", "0000:00:14.2");
      assertThat(v("deviceplugin/link-off.out")).isEqualTo("{\"return\": {}}");
      assertThat(v("deviceplugin/link-on.out")).isEqualTo("{\"return\": {}}");
      Map<String, String> off = health("health.off");
      assertThat(off.keySet()).containsExactlyInAnyOrderElementsOf(vfsOn("igbvf"));
      off.forEach(
          (id, h) -> assertThat(h).as(id).isEqualTo(pf1Vfs.contains(id) ? "Unhealthy" : "Healthy"));
      assertThat(health("health.on").values()).containsOnly("Healthy");
      assertThat(health("health.on")).hasSameSizeAs(off);
      // The vfio VF hangs off PF 0: its pool's state through the test (the list it served before,
      // then any list it sent meanwhile) is Healthy throughout and at the end.
      List<String> vfioStates =
          java.util.stream.Stream.concat(
                  v("deviceplugin/list.igb_vfio").lines(),
                  v("deviceplugin/health.vfio-lists").lines())
              .toList();
      assertThat(vfioStates).isNotEmpty().containsOnly("0000:00:12.2 Healthy -");
      // Pushed from the link event, not found by a periodic rescan (30 s).
      for (String state : List.of("off", "on")) {
        assertThat(Long.parseLong(v("deviceplugin/health." + state + ".after-kernel-event-ms")))
            .as(state)
            .isBetween(0L, 5_000L);
      }
    }

    @Test
    void sigtermStopsThePluginAndRemovesItsSocketsAndDeviceInfoFiles() {
      assertThat(v("deviceplugin/plugin.exit"))
          .as("a clean stop on SIGTERM, as upstream")
          .isEqualTo("0");
      assertThat(v("deviceplugin/sockets.after-stop").lines()).containsExactly("kubelet.sock");
      assertThat(v("deviceplugin/devinfo.after-stop")).as("device-info files left").isEmpty();
    }
  }

  /**
   * sriov-observability on igb: the per-VF counters scraped from the metrics endpoint are the VF
   * netdevs' own (igb's PF reports zeros), for a VF in a pod namespace and one in the host, and
   * rise with the traffic that crossed them.
   */
  @Nested
  class VfTraffic {
    private static final Pattern LINE =
        Pattern.compile(
            "(sriov_vf_[a-z_]+)\\{numa_node=\"([^\"]*)\",pciAddr=\"([^\"]+)\",pf=\"([^\"]+)\",vf=\"(\\d+)\"} (\\S+)");
    private static final long PINGS = 20;
    private static final long PING_BYTES = 1000;

    /** pciAddr -> metric -> value, and pciAddr -> "pf vf numa_node". */
    private Map<String, Map<String, Double>> scraped(String file, Map<String, String> labels) {
      Map<String, Map<String, Double>> out = new HashMap<>();
      for (String l : v("vf-traffic/" + file).lines().toList()) {
        Matcher m = LINE.matcher(l);
        assertThat(m.matches()).as(l).isTrue();
        out.computeIfAbsent(m.group(3), k -> new HashMap<>())
            .put(m.group(1), Double.parseDouble(m.group(6)));
        labels.put(m.group(3), m.group(4) + " " + m.group(5) + " " + m.group(2));
      }
      return out;
    }

    private long ip(String file, String direction, String counter) throws Exception {
      return json("vf-traffic/" + file)
          .get(0)
          .path("stats64")
          .path(direction)
          .path(counter)
          .asLong(-1);
    }

    @Test
    void scenarioRan() {
      assertScenarioOk("vf-traffic");
      assertThat(v("vf-traffic/errors")).as("no read failure").isBlank();
    }

    @Test
    void bothVfsAreScrapedWithUpstreamsLabels() {
      assertScenarioOk("vf-traffic");
      Map<String, String> labels = new HashMap<>();
      Map<String, Map<String, Double>> after = scraped("scrape.after", labels);
      String a = v("vf-traffic/a.pci");
      String b = v("vf-traffic/b.pci");
      assertThat(after).containsOnlyKeys(a, b);
      // the PF's numa_node, empty where the kernel reports -1 (upstream's label value then)
      String numa = v("vf-traffic/pf.numa_node").strip();
      String label = numa.equals("-1") ? "" : numa;
      assertThat(labels)
          .containsEntry(a, v("vf-traffic/pf").strip() + " 0 " + label)
          .containsEntry(b, v("vf-traffic/pf").strip() + " 1 " + label);
      for (Map<String, Double> m : after.values()) {
        assertThat(m)
            .containsOnlyKeys(
                "sriov_vf_rx_bytes",
                "sriov_vf_tx_bytes",
                "sriov_vf_rx_packets",
                "sriov_vf_tx_packets",
                "sriov_vf_rx_dropped",
                "sriov_vf_tx_dropped",
                // a VF netdev's counters have transmit errors (the PF's IFLA_VF_STATS have none)
                "sriov_vf_tx_errors");
      }
    }

    @Test
    void theCountersOfBothVfsRoseWithThePingsThatCrossedThem() throws Exception {
      assertScenarioOk("vf-traffic");
      assertThat(v("vf-traffic/ping-a-b.out")).contains(PINGS + " packets received");
      Map<String, Map<String, Double>> before = scraped("scrape.before", new HashMap<>());
      Map<String, Map<String, Double>> after = scraped("scrape.after", new HashMap<>());
      for (String vf : List.of(v("vf-traffic/a.pci"), v("vf-traffic/b.pci"))) {
        // a sends the echo requests and b the replies: each VF moved at least 20 x 1000 bytes
        // each way (ICMP and IP headers and ARP come on top)
        for (String dir : List.of("rx", "tx")) {
          double bytes =
              after.get(vf).get("sriov_vf_" + dir + "_bytes")
                  - before.get(vf).get("sriov_vf_" + dir + "_bytes");
          double packets =
              after.get(vf).get("sriov_vf_" + dir + "_packets")
                  - before.get(vf).get("sriov_vf_" + dir + "_packets");
          assertThat(bytes)
              .as(vf + " " + dir + " bytes")
              .isGreaterThanOrEqualTo(PINGS * PING_BYTES);
          assertThat(packets).as(vf + " " + dir + " packets").isGreaterThanOrEqualTo(PINGS);
        }
      }
    }

    @Test
    void theyAreTheVfNetdevsOwnCountersWhileThePfReportsZeros() throws Exception {
      assertScenarioOk("vf-traffic");
      Map<String, Map<String, Double>> before = scraped("scrape.before", new HashMap<>());
      Map<String, Map<String, Double>> after = scraped("scrape.after", new HashMap<>());
      Map<String, String> side = Map.of(v("vf-traffic/a.pci"), "a", v("vf-traffic/b.pci"), "b");
      for (var e : side.entrySet()) {
        for (String dir : List.of("rx", "tx")) {
          for (String c :
              dir.equals("tx")
                  ? List.of("bytes", "packets", "errors")
                  : List.of("bytes", "packets")) {
            String metric = "sriov_vf_" + dir + "_" + c;
            // each scrape lies between the ip -s readings taken around it
            assertThat(before.get(e.getKey()).get(metric))
                .as(e.getValue() + " " + metric + " before")
                .isGreaterThanOrEqualTo(ip(e.getValue() + ".link.before.out", dir, c))
                .isLessThanOrEqualTo(ip(e.getValue() + ".link.after.out", dir, c));
            assertThat(after.get(e.getKey()).get(metric))
                .as(e.getValue() + " " + metric + " after")
                .isLessThanOrEqualTo(ip(e.getValue() + ".link.after.out", dir, c))
                .isGreaterThanOrEqualTo(ip(e.getValue() + ".link.before.out", dir, c));
          }
        }
      }
      // the PF's IFLA_VF_STATS for both VFs: all zero after the traffic (igb: no ndo_get_vf_stats)
      JsonNode vfs = json("vf-traffic/pf.link.after.out").get(0).path("vfinfo_list");
      assertThat(vfs).hasSize(2);
      for (JsonNode vf : vfs) {
        JsonNode stats = vf.path("stats");
        assertThat(stats.path("rx").path("bytes").isMissingNode()).isFalse();
        stats.path("rx").forEach(n -> assertThat(n.asLong()).isZero());
        stats.path("tx").forEach(n -> assertThat(n.asLong()).isZero());
      }
    }
  }

  /**
   * The daemon in cluster mode ({@code bin/sriov-node --node-name}) on the real igb PFs against
   * fabric8's mock API server with the project's CRDs (guest {@code ClusterScenario}): the objects
   * as the API server holds them after each step, next to sysfs.
   */
  @Nested
  class Cluster {
    static final String PF0 = "0000:00:02.0";
    static final String PF1 = "0000:00:04.0";

    JsonNode state(String step) throws Exception {
      return json("cluster/" + step + ".state.json");
    }

    JsonNode pf(JsonNode state, String pci) {
      for (JsonNode i : state.path("status").path("interfaces")) {
        if (i.path("pciAddress").asText().equals(pci)) {
          return i;
        }
      }
      throw new AssertionError("no status of " + pci + " in " + state);
    }

    @Test
    void scenarioRanAndTheDaemonStoppedCleanly() {
      assertScenarioOk("cluster");
      assertThat(v("cluster/daemon.exit")).as(v("cluster/daemon.err")).isEqualTo("0");
    }

    @Test
    void theFirstPassPublishesTheNodeAsItIsOwnedByItsNode() throws Exception {
      JsonNode first = state("first-state");
      assertThat(first.path("metadata").path("name").asText()).isEqualTo("e2e-guest");
      JsonNode owner = first.path("metadata").path("ownerReferences");
      assertThat(owner).hasSize(1);
      assertThat(owner.get(0).path("kind").asText()).isEqualTo("Node");
      assertThat(owner.get(0).path("name").asText()).isEqualTo("e2e-guest");
      for (String pci : List.of(PF0, PF1)) {
        JsonNode pf = pf(first, pci);
        assertThat(pf.path("numVfs").asInt()).as(pci).isZero();
        assertThat(pf.path("totalvfs").asInt()).as(pci).isEqualTo(7);
        assertThat(pf.path("vendor").asText()).isEqualTo("8086");
        assertThat(pf.path("deviceID").asText()).isEqualTo("10c9");
        assertThat(pf.path("driver").asText()).isEqualTo("igb");
      }
      assertThat(pf(first, PF0).path("name").asText()).isEqualTo(v("cluster/pf0"));
    }

    /** A policy of n VFs on PF 0: rendered, applied on the real PF, reported Succeeded. */
    void assertApplied(String step, int n) throws Exception {
      JsonNode s = state(step);
      JsonNode spec = s.path("spec").path("interfaces");
      assertThat(spec).as(step + " spec").hasSize(1);
      JsonNode i = spec.get(0);
      assertThat(i.path("pciAddress").asText()).isEqualTo(PF0);
      assertThat(i.path("name").asText()).isEqualTo(v("cluster/pf0"));
      assertThat(i.path("numVfs").asInt()).isEqualTo(n);
      JsonNode group = i.path("vfGroups");
      assertThat(group).hasSize(1);
      assertThat(group.get(0).path("resourceName").asText()).isEqualTo("igbvf");
      assertThat(group.get(0).path("deviceType").asText()).isEqualTo("netdevice");
      assertThat(group.get(0).path("vfRange").asText()).isEqualTo("0-" + (n - 1));
      assertThat(group.get(0).path("policyName").asText()).isEqualTo("igb-pf0");
      assertThat(s.path("status").path("syncStatus").asText()).isEqualTo("Succeeded");
      assertThat(s.path("status").path("lastSyncError").asText("")).isEmpty();
      // the kernel: n VFs on PF 0, none on PF 1, and the status lists exactly those VFs
      assertThat(v("cluster/" + step + ".numvfs.pf0")).isEqualTo(Integer.toString(n));
      assertThat(v("cluster/" + step + ".numvfs.pf1")).isEqualTo("0");
      List<String> virtfn = v("cluster/" + step + ".virtfn.pf0").lines().toList();
      assertThat(virtfn).hasSize(n);
      JsonNode pf = pf(s, PF0);
      assertThat(pf.path("numVfs").asInt()).isEqualTo(n);
      List<String> reported = new java.util.ArrayList<>();
      pf.path("Vfs").forEach(vf -> reported.add(vf.path("pciAddress").asText()));
      assertThat(reported).containsExactlyInAnyOrderElementsOf(virtfn);
      pf.path("Vfs").forEach(vf -> assertThat(vf.path("driver").asText()).isEqualTo("igbvf"));
      assertThat(pf(s, PF1).path("numVfs").asInt()).isZero();
    }

    @Test
    void aPolicyCreatesVfsOnTheRealPf() throws Exception {
      assertApplied("create", 2);
    }

    @Test
    void aChangedPolicyConverges() throws Exception {
      assertApplied("update", 3);
    }

    @Test
    void theDeletedPolicyTakesTheVfsAway() throws Exception {
      JsonNode s = state("delete");
      assertThat(s.path("spec").path("interfaces").size()).isZero();
      assertThat(s.path("status").path("syncStatus").asText()).isEqualTo("Succeeded");
      assertThat(pf(s, PF0).path("numVfs").asInt()).isZero();
      assertThat(v("cluster/delete.numvfs.pf0")).isEqualTo("0");
      assertThat(v("cluster/delete.numvfs.pf1")).isEqualTo("0");
    }

    @Test
    void theSriovNetworkRendersItsNadWithUpstreamsConfig() throws Exception {
      JsonNode nad = json("cluster/nad.json");
      assertThat(nad.path("metadata").path("namespace").asText()).isEqualTo("apps");
      assertThat(nad.path("metadata").path("name").asText()).isEqualTo("igb-net");
      JsonNode annotations = nad.path("metadata").path("annotations");
      assertThat(annotations.path("k8s.v1.cni.cncf.io/resourceName").asText())
          .isEqualTo("openshift.io/igbvf");
      assertThat(annotations.path("sriovnetwork.openshift.io/owner-ref").asText())
          .isEqualTo("SriovNetwork.sriovnetwork.openshift.io/sriov-network-operator/igb-net");
      String config = nad.path("spec").path("config").asText();
      // upstream's template for these fields; logLevel absent: the mock applies no CRD default
      assertThat(JSON.readTree(config))
          .isEqualTo(
              JSON.readTree(
                  """
                  {"cniVersion":"1.0.0","name":"igb-net","type":"sriov","vlan":100,
                   "spoofchk":"on","trust":"off","vlanQoS":0,
                   "ipam":{"type":"host-local","subnet":"10.56.217.0/24"}}
                  """));
      // stored as upstream's operator stores it: Go's json.Indent, four spaces
      assertThat(config).startsWith("{\n    \"cniVersion\": \"1.0.0\",\n");
      assertThat(v("cluster/nad-deleted.ms")).matches("[0-9]+");
    }
  }

  /**
   * The node engine as shipped ({@code bin/sriov-node}, file mode) on both igb PFs: its status
   * against lspci, ip and sysfs, the pools the kubelet stand-in received, a live change, an
   * externally managed PF refused beside one that applies, and a kill -9 during VF creation.
   */
  @Nested
  class NodeEngine {
    static final String PF0 = "0000:00:02.0";
    static final String PF1 = "0000:00:04.0";

    /** PF address -> [numvfs, totalvfs], and "PF virtfnN" -> VF address, from the sysfs listing. */
    private Map<String, String> sysfs(String prefix) {
      Map<String, String> out = new HashMap<>();
      for (String l : v("node-engine/" + prefix + ".sysfs.out").lines().toList()) {
        String[] f = l.split(" ");
        if (f[1].equals("numvfs")) {
          out.put(f[0] + " numvfs", f[2]);
          out.put(f[0] + " totalvfs", f[4]);
        } else {
          out.put(f[0] + " " + f[1], f[2]);
        }
      }
      return out;
    }

    private String vf(Map<String, String> sysfs, String pf, int index) {
      return sysfs.get(pf + " virtfn" + index);
    }

    private Map<String, String> drivers(String prefix) {
      Map<String, String> out = new HashMap<>();
      v("node-engine/" + prefix + ".drivers.out")
          .lines()
          .forEach(
              l -> {
                String[] f = l.split(" ", -1);
                out.put(f[0], f.length > 1 ? f[1] : "");
              });
      return out;
    }

    /** PCI address -> its netdev, from {@code ip -j -d link} (parentdev). */
    private Map<String, JsonNode> netdevs(String prefix) throws Exception {
      Map<String, JsonNode> out = new HashMap<>();
      for (JsonNode l : json("node-engine/" + prefix + ".ip.out")) {
        if (l.path("parentbus").asText().equals("pci")) {
          out.put(l.path("parentdev").asText(), l);
        }
      }
      return out;
    }

    /** pool -> its devices ({@code id health}), from the kubelet stand-in's lists. */
    private Map<String, List<String>> pools(String prefix) {
      Map<String, List<String>> out = new java.util.TreeMap<>();
      v("node-engine/" + prefix + ".pools")
          .lines()
          .forEach(
              l -> {
                int sp = l.indexOf(' ');
                out.computeIfAbsent(l.substring(0, sp), k -> new java.util.ArrayList<>())
                    .add(l.substring(sp + 1));
              });
      return out;
    }

    private static List<String> healthy(String... ids) {
      return java.util.Arrays.stream(ids).map(id -> id + " Healthy").sorted().toList();
    }

    /** The status's PF 0 and PF 1 (and their VFs) equal what sysfs, the driver links and ip say. */
    private void statusIsTheNode(JsonNode state, String prefix) throws Exception {
      Map<String, String> sysfs = sysfs(prefix);
      Map<String, String> drivers = drivers(prefix);
      Map<String, JsonNode> netdevs = netdevs(prefix);
      Map<String, JsonNode> byPci = new HashMap<>();
      state
          .path("status")
          .path("interfaces")
          .forEach(i -> byPci.put(i.path("pciAddress").asText(), i));
      for (String pf : List.of(PF0, PF1)) {
        JsonNode i = byPci.get(pf);
        assertThat(i).as(pf + " in the status").isNotNull();
        JsonNode link = netdevs.get(pf);
        assertThat(i.path("name").asText()).as(pf).isEqualTo(link.path("ifname").asText());
        assertThat(i.path("mac").asText()).as(pf).isEqualTo(link.path("address").asText());
        assertThat(i.path("mtu").asInt()).as(pf).isEqualTo(link.path("mtu").asInt());
        assertThat(i.path("driver").asText()).as(pf).isEqualTo(drivers.get(pf));
        assertThat(i.path("numVfs").asText()).as(pf).isEqualTo(sysfs.get(pf + " numvfs"));
        assertThat(i.path("totalvfs").asText()).as(pf).isEqualTo(sysfs.get(pf + " totalvfs"));
        int n = Integer.parseInt(sysfs.get(pf + " numvfs"));
        assertThat(i.path("Vfs")).as(pf + " VFs").hasSize(n);
        for (JsonNode vf : i.path("Vfs")) {
          int id = vf.path("vfID").asInt();
          String addr = vf.path("pciAddress").asText();
          assertThat(addr).as(pf + " VF " + id).isEqualTo(vf(sysfs, pf, id));
          assertThat(vf.path("driver").asText()).as(addr).isEqualTo(drivers.get(addr));
          assertThat(vf.path("vendor").asText()).as(addr).isEqualTo("8086");
          assertThat(vf.path("deviceID").asText()).as(addr).isEqualTo("10ca");
          JsonNode vfLink = netdevs.get(addr);
          if (drivers.get(addr).equals("igbvf")) {
            assertThat(vf.path("name").asText()).as(addr).isEqualTo(vfLink.path("ifname").asText());
            assertThat(vf.path("mac").asText()).as(addr).isEqualTo(vfLink.path("address").asText());
            assertThat(vf.path("mtu").asInt()).as(addr).isEqualTo(vfLink.path("mtu").asInt());
          } else {
            assertThat(vfLink).as(addr + " has no netdev on " + drivers.get(addr)).isNull();
          }
        }
      }
    }

    @Test
    void scenarioRan() {
      assertScenarioOk("node-engine");
    }

    @Test
    void firstApplyStatusIsWhatSysfsTheDriverLinksAndIpShow() throws Exception {
      assertScenarioOk("node-engine");
      JsonNode state = json("node-engine/serve.out");
      assertThat(state.path("status").path("syncStatus").asText())
          .as(v("node-engine/serve.err"))
          .isEqualTo("Succeeded");
      statusIsTheNode(state, "v1");
      Map<String, String> sysfs = sysfs("v1");
      assertThat(sysfs).containsEntry(PF0 + " numvfs", "4").containsEntry(PF1 + " numvfs", "2");
      Map<String, String> drivers = drivers("v1");
      Map<String, JsonNode> netdevs = netdevs("v1");
      for (int i = 0; i < 4; i++) {
        assertThat(drivers.get(vf(sysfs, PF0, i))).isEqualTo(i < 2 ? "igbvf" : "vfio-pci");
      }
      // PF 1 at MTU 2000 with its group's VFs; both PFs brought up by the daemon (they were down)
      assertThat(netdevs.get(PF1).path("mtu").asInt()).isEqualTo(2000);
      for (int i = 0; i < 2; i++) {
        assertThat(netdevs.get(vf(sysfs, PF1, i)).path("mtu").asInt()).isEqualTo(2000);
      }
      for (String pf : List.of(PF0, PF1)) {
        assertThat(netdevs.get(pf).path("flags").toString()).as(pf).contains("\"UP\"");
      }
      // every netdevice VF's admin MAC pinned to its own MAC (ip's vfinfo on the PF)
      for (String pf : List.of(PF0, PF1)) {
        for (JsonNode info : netdevs.get(pf).path("vfinfo_list")) {
          String addr = vf(sysfs, pf, info.path("vf").asInt());
          if (drivers.get(addr).equals("igbvf")) {
            assertThat(info.path("address").asText())
                .as(addr)
                .isEqualTo(netdevs.get(addr).path("address").asText());
          }
        }
      }
    }

    @Test
    void theKubeletStandInSeesExactlyTheGroupsVfs() {
      assertScenarioOk("node-engine");
      assertThat(v("node-engine/registrations").lines())
          .containsExactly(
              "openshift.io/igb_jumbo", "openshift.io/igb_net", "openshift.io/igb_vfio");
      Map<String, String> sysfs = sysfs("v1");
      assertThat(pools("v1"))
          .containsOnlyKeys(
              "openshift.io/igb_jumbo", "openshift.io/igb_net", "openshift.io/igb_vfio")
          .containsEntry("openshift.io/igb_net", healthy(vf(sysfs, PF0, 0), vf(sysfs, PF0, 1)))
          .containsEntry("openshift.io/igb_vfio", healthy(vf(sysfs, PF0, 2), vf(sysfs, PF0, 3)))
          .containsEntry("openshift.io/igb_jumbo", healthy(vf(sysfs, PF1, 0), vf(sysfs, PF1, 1)));
    }

    @Test
    void fewerVfsInTheFileAreAppliedLiveAndThePoolsFollow() {
      assertScenarioOk("node-engine");
      Map<String, String> sysfs = sysfs("v2");
      assertThat(sysfs).containsEntry(PF0 + " numvfs", "3").containsEntry(PF1 + " numvfs", "2");
      assertThat(drivers("v2").get(vf(sysfs, PF0, 2))).isEqualTo("vfio-pci");
      // VF 2 alone, Healthy: the VF 3 the daemon removed is gone from the pool at once (the
      // daemon names it to the device plugin; only a VF that vanishes by itself is kept Unhealthy
      // for the gone retention)
      assertThat(pools("v2").get("openshift.io/igb_vfio"))
          .as(v("node-engine/v2.igb_vfio.lists"))
          .isEqualTo(healthy(vf(sysfs, PF0, 2)));
      assertThat(v("node-engine/serve.err"))
          .contains("VFs removed on purpose vfs=[" + vf(sysfs("v1"), PF0, 3) + "]");
      assertThat(pools("v2"))
          .containsEntry("openshift.io/igb_net", healthy(vf(sysfs, PF0, 0), vf(sysfs, PF0, 1)))
          .containsEntry("openshift.io/igb_jumbo", healthy(vf(sysfs, PF1, 0), vf(sysfs, PF1, 1)));
      assertThat(v("node-engine/serve.err")).contains("desired state applied sync=Succeeded");
    }

    @Test
    void anExternallyManagedPfWithTooFewVfsFailsWithItsReasonWhileTheOtherPfApplies()
        throws Exception {
      assertScenarioOk("node-engine");
      assertThat(v("node-engine/serve.err"))
          .contains(
              "PF refused pf="
                  + PF1
                  + " reason=externallyManaged: numVfs 4 but the PF has 2 VFs (the daemon does"
                  + " not create VFs on an externally managed PF)")
          .contains("desired state applied sync=Failed")
          // PF 1 did not apply: its pool is retired (its VFs are not advertised), the others stay
          .contains("pools not served, none of their PFs applied: [igb_jumbo]")
          .contains(
              "pools updated cause=DESIRED_CHANGED pools=[openshift.io/igb_net,"
                  + " openshift.io/igb_vfio]");
      Map<String, JsonNode> netdevs = netdevs("v3");
      assertThat(netdevs.get(PF0).path("mtu").asInt()).as("PF 0 applied").isEqualTo(1800);
      Map<String, String> sysfs = sysfs("v3");
      assertThat(sysfs).as("PF 1 untouched").containsEntry(PF1 + " numvfs", "2");
      assertThat(netdevs.get(PF1).path("mtu").asInt()).as("PF 1 untouched").isEqualTo(2000);
    }

    @Test
    void killMinus9DuringVfCreationThenARestartConverges() throws Exception {
      assertScenarioOk("node-engine");
      assertThat(v("node-engine/killed.alive-at-kill")).isEqualTo("true");
      assertThat(v("node-engine/killed.exit")).isEqualTo("137");
      assertThat(v("node-engine/killed.virtfns-before")).isEqualTo("3");
      assertThat(v("node-engine/killed.virtfns-lowest")).isEqualTo("0");
      // killed while PF 0 had some but not yet all of its 6 new VFs
      assertThat(Integer.parseInt(v("node-engine/killed.virtfns-at-kill"))).isBetween(1, 5);
      // the kernel finished the write it was in (polled, bounded): a number of ms, not a timeout
      assertThat(v("node-engine/killed.settled-ms")).matches("\\d+");
      assertThat(v("node-engine/restart.exit")).as(v("node-engine/restart.err")).isEqualTo("0");
      JsonNode state = json("node-engine/restart.out");
      assertThat(state.path("status").path("syncStatus").asText()).isEqualTo("Succeeded");
      statusIsTheNode(state, "v4");
      Map<String, String> sysfs = sysfs("v4");
      assertThat(sysfs).containsEntry(PF0 + " numvfs", "6");
      Map<String, String> drivers = drivers("v4");
      for (int i = 0; i < 6; i++) {
        assertThat(drivers.get(vf(sysfs, PF0, i))).isEqualTo(i < 3 ? "igbvf" : "vfio-pci");
      }
    }
  }
}
