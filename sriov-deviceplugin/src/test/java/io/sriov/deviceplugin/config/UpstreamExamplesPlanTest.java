package io.sriov.deviceplugin.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.config.AllocationPolicy;
import io.sriov.core.device.Device;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.node.DefaultRouteLinks;
import io.sriov.simulator.SimulatedNode;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every resource list upstream documents (sriov-core's {@code upstream-examples}), through the
 * device plugin's planner on the SIMULATED node: it is accepted, and gives exactly these pools.
 */
class UpstreamExamplesPlanTest {
  private static final String DIR = "/upstream-examples/";

  private static final List<String> E810_VFS =
      List.of("0000:3c:00.0", "0000:3c:00.1", "0000:3c:00.2", "0000:3c:00.3");
  private static final List<String> CX6_VFS = List.of("0000:b0:00.0", "0000:b0:00.1");

  /** The E810 port without VFs, and the VFs; PFs with VFs are never handed out. */
  private static final List<String> INTEL_NET =
      Stream.concat(Stream.of("0000:3b:00.1"), E810_VFS.stream()).toList();

  private static final List<String> ALL_NET =
      Stream.concat(INTEL_NET.stream(), CX6_VFS.stream()).toList();

  /**
   * Per example, the pools in file order with their devices. Upstream's examples name the device
   * IDs of older NICs (154c, 10ed, 1018), so on this node many pools are empty; they must still be
   * accepted and advertised empty.
   */
  private static final Map<String, Map<String, List<String>>> EXPECTED = expected();

  private static Map<String, Map<String, List<String>>> expected() {
    Map<String, Map<String, List<String>>> m = new LinkedHashMap<>();
    m.put(
        "ddp-e800.json",
        pools("intel.com/e800_default", List.of(), "intel.com/e800_comms", List.of()));
    m.put(
        "deployments-configmap.json",
        pools(
            "intel.com/intel_sriov_netdevice", List.of(),
            "intel.com/intel_sriov_dpdk", List.of(),
            "intel.com/mlnx_sriov_rdma", List.of()));
    m.put(
        "readme-2019.json",
        pools(
            "intel.com/intel_sriov_netdevice", List.of(),
            "intel.com/intel_sriov_dpdk", List.of(),
            "mellanox.com/mlnx_sriov_rdma", List.of(),
            "intel.com/infiniband_rdma_netdevs", List.of()));
    m.put("readme-additional-info-override.json", pools("intel.com/sriov_net_A", ALL_NET));
    m.put("readme-additional-info.json", pools("intel.com/sriov_net_A", ALL_NET));
    m.put(
        "readme-config.json",
        pools(
            "intel.com/intel_sriov_netdevice", E810_VFS,
            "intel.com/intel_sriov_dpdk", List.of(),
            "mellanox.com/mlnx_sriov_rdma", List.of(),
            "intel.com/infiniband_rdma_netdevs", List.of(),
            "intel.com/ct6dx_vdpa_vhost", List.of(),
            "intel.com/intel_fpga", List.of(),
            "nvidia.com/bf2_sf", List.of(),
            // the same selector as the first pool: the first pool already took the VFs
            "intel.com/intel_sriov_netdevice_additional_env", List.of(),
            "broadcom.com/brcm_sriov_bnxt", List.of(),
            "intel.com/old_selectors_syntax_example", List.of()));
    m.put(
        "readme-ranges.json",
        pools(
            "intel.com/by_pf_name", List.of(),
            "intel.com/by_root_device", List.of(),
            "intel.com/whole_pf", List.of()));
    m.put("readme-selector-list-reversed.json", pools("intel.com/sriov_net_A", INTEL_NET));
    m.put("readme-selector-list.json", pools("intel.com/sriov_net_A", INTEL_NET));
    m.put("readme-selector-object.json", pools("intel.com/sriov_net_A", List.of()));
    m.put("subfunctions-bf2.json", pools("nvidia.com/bf2_sf", List.of()));
    m.put(
        "subfunctions-cx6dx.json",
        // The node's SF hangs off the PF (device 101d), not a 101e VF.
        pools("nvidia.com/cx6dx_vf", CX6_VFS, "nvidia.com/cx6dx_sf", List.of()));
    return m;
  }

  @TempDir static Path tmp;
  private static ConfigPoolPlanner planner;

  @BeforeAll
  static void node() throws IOException {
    SimulatedNode node = SimulatedNode.builtIn(tmp.resolve("node"));
    planner = new ConfigPoolPlanner(new SysfsDeviceDiscovery(node.root()), DefaultRouteLinks.NONE);
  }

  private static final String IGNORED_ISRDMA =
      ": a selector key outside \"selectors\", ignored (move it into selectors)";

  static Stream<String> examples() {
    return EXPECTED.keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void plansTheExpectedPools(String file) {
    PoolPlanner.Plan plan =
        planner.plan(DevicePluginConfig.parse(read(file), file, ResourcePrefix.INTEL));

    Map<String, List<String>> pools = new LinkedHashMap<>();
    for (ResourcePool p : plan.pools()) {
      pools.put(p.spec().fullName(), p.devices().stream().map(Device::id).toList());
    }
    assertThat(pools).containsExactlyEntriesOf(EXPECTED.get(file));
    assertThat(plan.pools())
        .allSatisfy(p -> assertThat(p.spec().policy()).isEqualTo(AllocationPolicy.SPREAD));
    if (file.equals("readme-2019.json")) {
      assertThat(plan.warnings())
          .containsExactly(
              "resourceList[2].isRdma" + IGNORED_ISRDMA, "resourceList[3].isRdma" + IGNORED_ISRDMA);
    } else {
      assertThat(plan.warnings()).isEmpty();
    }
  }

  @Test
  void theReadmeExampleKeepsItsSelectorNeedsAndAdditionalInfo() {
    PoolPlanner.Plan plan =
        planner.plan(
            DevicePluginConfig.parse(
                read("readme-additional-info.json"),
                "readme-additional-info.json",
                ResourcePrefix.INTEL));
    ResourcePool pool = plan.pools().getFirst();

    assertThat(pool.spec().additionalInfo().forDevice("0000:3c:00.0"))
        .containsExactly(Map.entry("token", "3e49019f-412f-4f02-824e-4cd195944205"));
    PoolPlanner.Plan vhost =
        planner.plan(
            DevicePluginConfig.parse(
                read("readme-selector-list.json"),
                "readme-selector-list.json",
                ResourcePrefix.INTEL));
    ResourcePool net = vhost.pools().getFirst();
    // Taken by the second selector object, the one with needVhostNet.
    assertThat(net.needsOf(net.devices().getFirst()).vhostNet()).isTrue();
  }

  @Test
  void everyExampleFileHasAnExpectation() throws Exception {
    assertThat(examplesOnTheClassPath()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
  }

  private static Map<String, List<String>> pools(Object... nameThenDevices) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenDevices.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> devices = (List<String>) nameThenDevices[i + 1];
      m.put((String) nameThenDevices[i], devices);
    }
    return m;
  }

  private static String read(String file) {
    try (InputStream in = UpstreamExamplesPlanTest.class.getResourceAsStream(DIR + file)) {
      assertThat(in).as(file).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The example files sriov-core ships, from its test classes or its test jar. */
  private static TreeSet<String> examplesOnTheClassPath() throws IOException, URISyntaxException {
    URL readme = UpstreamExamplesPlanTest.class.getResource(DIR + "README.md");
    assertThat(readme).as("sriov-core test resources on the class path").isNotNull();
    URI uri = readme.toURI();
    if (uri.getScheme().equals("jar")) {
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        return jsonFiles(jar.getPath(DIR));
      }
    }
    return jsonFiles(Path.of(uri).getParent());
  }

  private static TreeSet<String> jsonFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      TreeSet<String> out = new TreeSet<>();
      files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).forEach(out::add);
      return out;
    }
  }
}
