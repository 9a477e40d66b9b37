package io.sriov.deviceplugin.app;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sriov.core.device.Device;
import io.sriov.core.device.OperState;
import io.sriov.core.port.DefaultRouteMonitor;
import io.sriov.core.port.DeviceDiscovery;
import io.sriov.core.port.DeviceEventMonitor;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.port.LinkMonitor;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.kubelet.KubeletPaths;
import io.sriov.netlink.devlink.DevlinkOperations;
import io.sriov.netlink.route.RtnlOperations;
import io.sriov.node.DefaultRouteLinks;
import io.sriov.node.Node;
import io.sriov.sysfs.SysfsRoot;
import io.sriov.sysfs.SysfsWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicePluginAppTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private final List<Device> devices =
      List.of(
          vf("0000:af:00.0", "ens1f0", 0).build(),
          vf("0000:af:00.0", "ens1f0", 1).driver("vfio-pci").iommu(42, false).build());

  /** What the node's route source answers; the default: no default route. */
  private DefaultRouteLinks routes = DefaultRouteLinks.NONE;

  /** A node made of in-memory devices, with ens1f0 down. */
  private final NodeFactory nodes =
      cmd ->
          new Node() {
            @Override
            public String label() {
              return "SIMULATED test node";
            }

            @Override
            public boolean simulated() {
              return true;
            }

            @Override
            public DeviceDiscovery discovery() {
              return new DeviceDiscovery() {
                @Override
                public Result discoverAll() {
                  return new Result(devices, List.of());
                }

                @Override
                public Result discoverPf(PciAddress pf) {
                  throw new UnsupportedOperationException();
                }
              };
            }

            @Override
            public Optional<LinkMonitor> links() {
              return Optional.of(
                  new LinkMonitor() {
                    @Override
                    public List<LinkEvent> snapshot() {
                      return List.of(
                          new LinkEvent(
                              LinkEvent.Kind.PRESENT,
                              3,
                              InterfaceName.of("ens1f0"),
                              OperState.DOWN,
                              false));
                    }

                    @Override
                    public Subscription subscribe(Consumer<LinkEvent> listener, Runnable onLost) {
                      return () -> {};
                    }

                    @Override
                    public void close() {}
                  });
            }

            @Override
            public DefaultRouteLinks defaultRouteLinks() {
              return routes;
            }

            @Override
            public Optional<DeviceEventMonitor> deviceEvents() {
              return Optional.empty();
            }

            @Override
            public Optional<DefaultRouteMonitor> defaultRouteEvents() {
              return Optional.empty();
            }

            @Override
            public SysfsRoot root() {
              return new SysfsRoot(tmp.resolve("sys"), tmp.resolve("dev"));
            }

            @Override
            public SysfsWriter sysfsWriter() {
              throw new UnsupportedOperationException("the device plugin never writes sysfs");
            }

            @Override
            public Optional<RtnlOperations> rtnl() {
              return Optional.empty();
            }

            @Override
            public Optional<DevlinkOperations> devlink() {
              return Optional.empty();
            }

            @Override
            public void close() {}
          };

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    return DevicePluginApp.run(
        all,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        nodes);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path config(String text) throws Exception {
    return Files.writeString(tmp.resolve("config.json"), text);
  }

  @Test
  void dryRunPrintsTheShortenedSocketPathThatIsServed() throws Exception {
    String name = "n".repeat(63);
    Path config =
        config("{\"resourceList\": [{\"resourceName\": \"" + name + "\", \"selectors\": {}}]}");
    Path kubelet = tmp.resolve("kubelet");
    Files.createDirectories(kubelet.resolve("plugins_registry"));
    assertThat(run("--config-file=" + config, "--dry-run", "--kubelet-dir=" + kubelet)).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    String socket = doc.at("/resources/0/socket").asText();
    assertThat(socket)
        .isNotEqualTo(kubelet.resolve("plugins_registry/intel.com_" + name + ".sock").toString())
        .startsWith(kubelet.resolve("plugins_registry/intel.com_nnn").toString())
        .matches(".*-[0-9a-f]{16}\\.sock")
        .hasSizeLessThanOrEqualTo(KubeletPaths.MAX_SOCKET_PATH);
  }

  @Test
  void dryRunPrintsPoolsDevicesHealthAndAllocateAnswers() throws Exception {
    Path config =
        config(
            """
            {"resourceList": [
              {"resourceName": "net", "selectors": {"drivers": ["iavf"]}},
              {"resourceName": "dpdk", "selectors": {"drivers": ["vfio-pci"]}}
            ]}
            """);
    Path kubelet = tmp.resolve("kubelet");
    assertThat(run("--config-file=" + config, "--dry-run", "--kubelet-dir=" + kubelet)).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(doc.get("node").asText()).isEqualTo("SIMULATED test node");
    assertThat(doc.at("/resources/0/resourceName").asText()).isEqualTo("intel.com/net");
    assertThat(doc.at("/resources/0/socket").asText())
        .as("no plugins_registry: legacy registration, socket in device-plugins")
        .isEqualTo(kubelet.resolve("device-plugins/intel.com_net.sock").toString());
    assertThat(doc.at("/resources/0/env").asText()).isEqualTo("PCIDEVICE_INTEL_COM_NET");
    assertThat(doc.at("/resources/0/devices/0/id").asText()).isEqualTo("0000:af:02.0");
    assertThat(doc.at("/resources/0/devices/0/health").asText()).isEqualTo("Unhealthy");
    assertThat(doc.at("/resources/1/devices/0/info/vfio/dev-mount").asText())
        .isEqualTo("/dev/vfio/42");
    assertThat(doc.at("/resources/1/devices/0/deviceSpecs/1/hostPath").asText())
        .isEqualTo("/dev/vfio/42");
  }

  @Test
  void dryRunListsTheDefaultRouteDeviceAsExcludedWithTheReason() throws Exception {
    routes = () -> java.util.Set.of("ens1f0v0");
    Path config = config("{\"resourceList\": [{\"resourceName\": \"all\", \"selectors\": {}}]}");
    assertThat(run("--config-file=" + config, "--dry-run")).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(doc.at("/resources/0/devices").findValuesAsText("id"))
        .containsExactly("0000:af:02.1");
    assertThat(doc.get("excluded").toString())
        .isEqualTo(
            "[{\"id\":\"0000:af:02.0\",\"netdev\":\"ens1f0v0\","
                + "\"reason\":\"carries the IPv4 default route\"}]");
  }

  @Test
  void dryRunWithoutDefaultRoutesHasAnEmptyExcludedList() throws Exception {
    Path config = config("{\"resourceList\": [{\"resourceName\": \"all\", \"selectors\": {}}]}");
    assertThat(run("--config-file=" + config, "--dry-run")).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(doc.at("/resources/0/devices").findValuesAsText("id"))
        .containsExactly("0000:af:02.0", "0000:af:02.1");
    assertThat(doc.get("excluded").toString()).isEqualTo("[]");
  }

  @Test
  void unreadableRoutesExitOneWithTheNetlinkError() throws Exception {
    routes =
        () -> {
          throw new DefaultRouteLinks.LookupException(
              "IPv4 default routes: RTM_GETROUTE dump: EPERM", null);
        };
    Path config = config("{\"resourceList\": [{\"resourceName\": \"all\", \"selectors\": {}}]}");
    assertThat(run("--config-file=" + config, "--dry-run")).isEqualTo(1);
    assertThat(err())
        .isEqualTo("sriov-device-plugin: IPv4 default routes: RTM_GETROUTE dump: EPERM\n");
  }

  @Test
  void helpPrintsUsage() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: sriov-device-plugin");
  }

  @Test
  void badFlagExitsTwoWithTheProblem() {
    assertThat(run("--bogus")).isEqualTo(2);
    assertThat(err()).startsWith("sriov-device-plugin: unknown flag: --bogus\nUsage:");
  }

  @Test
  void badResourcePrefixExitsTwo() {
    assertThat(run("--resource-prefix=Intel.com")).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            "sriov-device-plugin: --resource-prefix: resource prefix \"Intel.com\": \"I\" is not"
                + " allowed (lower-case letters, digits, '-' and '.' only)\n");
  }

  @Test
  void missingConfigExitsOneNamingTheFile() {
    Path missing = tmp.resolve("nope.json");
    assertThat(run("--config-file", missing.toString(), "--dry-run")).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "sriov-device-plugin: cannot read config file "
                + missing
                + ": no such file or directory: "
                + missing
                + "\n");
  }

  @Test
  void emptyConfigExitsOneAtStartOfServing() throws Exception {
    Path config = config("{\"resourceList\": []}");
    assertThat(
            run(
                "--config-file=" + config,
                "--kubelet-dir=" + tmp.resolve("kubelet"),
                "--cdi-dir=" + tmp.resolve("cdi"),
                "--device-info-dir=" + tmp.resolve("devinfo")))
        .isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "sriov-device-plugin: "
                + config
                + ": no resource configuration (resourceList is empty)\n");
  }

  @Test
  void duplicateResourceNameExitsOne() throws Exception {
    Path config =
        config(
            "{\"resourceList\": [{\"resourceName\": \"a\", \"selectors\": {}},"
                + " {\"resourceName\": \"a\", \"selectors\": {}}]}");
    assertThat(run("--config-file=" + config, "--dry-run")).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "sriov-device-plugin: "
                + config
                + ": resourceList[1].resourceName: \"a\" is already used by resourceList[0] under"
                + " prefix intel.com\n");
  }

  @Test
  void malformedConfigExitsOneWithLineAndColumn() throws Exception {
    Path config = config("{\"resourceList\": [\n  {\"resourceName\": \"a\",,}\n]}");
    assertThat(run("--config-file=" + config, "--dry-run")).isEqualTo(1);
    assertThat(err()).startsWith("sriov-device-plugin: " + config + ": line 2, column ");
  }

  /** The README's command: the built-in SIMULATED node with the bundled example config. */
  @Test
  void readmeDryRunCommandWorksOnTheBuiltInSimulatedNode() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code =
        DevicePluginApp.run(
            List.of("--simulated-node", "--dry-run"),
            new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8),
            NodeFactory.DEFAULT);
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isZero();
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toByteArray());
    assertThat(doc.get("node").asText()).startsWith("SIMULATED node (topology built-in");
    assertThat(doc.get("config").asText())
        .isEqualTo("built-in example for the simulated node (simulated-config.json)");
    assertThat(doc.get("resources")).hasSize(3);
    for (var r : doc.get("resources")) {
      assertThat(r.get("devices").size()).as(r.get("resourceName").asText()).isPositive();
    }
  }
}
