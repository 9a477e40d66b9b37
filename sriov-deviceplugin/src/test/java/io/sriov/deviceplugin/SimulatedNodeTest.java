package io.sriov.deviceplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.deviceplugin.api.v1beta1.AllocateResponse;
import io.sriov.deviceplugin.api.v1beta1.DeviceSpec;
import io.sriov.deviceplugin.api.v1beta1.ListAndWatchResponse;
import io.sriov.deviceplugin.config.ConfigPoolPlanner;
import io.sriov.deviceplugin.config.DevicePluginConfig;
import io.sriov.deviceplugin.config.PlanException;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.testing.PluginClient;
import io.sriov.deviceplugin.testing.PluginFixture;
import io.sriov.simulator.SimulatedNode;
import io.sriov.simulator.kernel.SimulatedDeviceEventMonitor;
import io.sriov.simulator.kernel.SimulatedLinkMonitor;
import io.sriov.sysfs.pci.SysfsDeviceDiscovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole plugin against the SIMULATED node (sriov-sysfs's built-in topology): real discovery
 * over the generated sysfs, the simulated kernel's link monitor, and kubelet stand-ins.
 */
class SimulatedNodeTest {
  private static final String CONFIG =
      """
      {"resourceList": [
        {"resourceName": "e810", "selectors": {"pfNames": ["ens1f0"]}},
        {"resourceName": "cx6", "resourcePrefix": "nvidia.com",
         "selectors": {"vendors": ["15b3"], "isRdma": true}},
        {"resourceName": "qat", "deviceType": "accelerator", "selectors": {"drivers": ["vfio-pci"]}}
      ]}
      """;

  private static final String QAT_VF0 = "0000:6c:00.0";
  private static final String QAT_VF1 = "0000:6c:00.1";

  @TempDir Path tmp;

  private static DevicePluginConfig config(String text) {
    return DevicePluginConfig.parse(text, "config.json", ResourcePrefix.INTEL);
  }

  private SimulatedNode node;
  private SimulatedLinkMonitor links;
  private SimulatedDeviceEventMonitor deviceEvents;
  private PluginFixture fx;
  private ScheduledExecutorService scheduler;
  private Reconciler reconciler;

  @BeforeEach
  void setUp() throws Exception {
    node = SimulatedNode.builtIn(tmp.resolve("node"));
    links = node.kernel().newLinkMonitor();
    deviceEvents = node.kernel().newDeviceEventMonitor();
    fx = new PluginFixture(tmp.resolve("plugin"), RegistrationMode.WATCHER, false);
    scheduler = Executors.newSingleThreadScheduledExecutor();
    reconciler =
        new Reconciler(
            new ConfigPoolPlanner(
                new SysfsDeviceDiscovery(node.root()), io.sriov.node.DefaultRouteLinks.NONE),
            fx.manager,
            new Reconciler.Events(Optional.of(links), Optional.of(deviceEvents), Optional.empty()),
            scheduler,
            fx.meters,
            new Reconciler.Timing(Duration.ofHours(1), Duration.ofMillis(50), Duration.ofHours(1)));
    reconciler.start(config(CONFIG));
  }

  @AfterEach
  void tearDown() {
    reconciler.close();
    scheduler.shutdownNow();
    links.close();
    deviceEvents.close();
    fx.close();
  }

  @Test
  void servesTheSimulatedVfsAndAnswersAllocate() throws Exception {
    assertThat(fx.manager.endpoints())
        .containsOnlyKeys("intel.com/e810", "nvidia.com/cx6", "intel.com/qat");
    try (PluginClient c = fx.client("intel.com_e810.sock")) {
      ListAndWatchResponse list = c.watch().next();
      assertThat(PluginClient.health(list))
          .containsExactly(
              Map.entry("0000:3c:00.0", "Healthy"),
              Map.entry("0000:3c:00.1", "Healthy"),
              Map.entry("0000:3c:00.2", "Healthy"),
              Map.entry("0000:3c:00.3", "Healthy"));
      assertThat(list.getDevices(0).getTopology().getNodes(0).getID()).isZero();
    }
    try (PluginClient c = fx.client("intel.com_qat.sock")) {
      AllocateResponse r = c.allocate(List.of(List.of(c.watch().next().getDevices(0).getID())));
      assertThat(r.getContainerResponses(0).getDevicesList())
          .extracting(DeviceSpec::getContainerPath)
          .first()
          .isEqualTo("/dev/vfio/vfio");
    }
    try (PluginClient c = fx.client("nvidia.com_cx6.sock")) {
      String id = c.watch().next().getDevices(0).getID();
      AllocateResponse r = c.allocate(List.of(List.of(id)));
      assertThat(r.getContainerResponses(0).getEnvsOrThrow("PCIDEVICE_NVIDIA_COM_CX6_INFO"))
          .contains("\"rdma\":{");
    }
  }

  @Test
  void pfCarrierLossReachesListAndWatch() throws Exception {
    try (PluginClient c = fx.client("intel.com_e810.sock")) {
      PluginClient.Watch w = c.watch();
      w.next();
      long t0 = System.nanoTime();
      node.kernel().setCarrier(InterfaceName.of("ens1f0"), false);
      ListAndWatchResponse down = w.next();
      long micros = (System.nanoTime() - t0) / 1000;
      assertThat(PluginClient.health(down).values()).containsOnly("Unhealthy");
      System.out.println("carrier event to ListAndWatch update: " + micros + " us");
      node.kernel().setCarrier(InterfaceName.of("ens1f0"), true);
      assertThat(PluginClient.health(w.next()).values()).containsOnly("Healthy");
    }
  }

  @Test
  void moreVfsAreServedWithoutRestart() throws Exception {
    try (PluginClient c = fx.client("intel.com_e810.sock")) {
      PluginClient.Watch w = c.watch();
      assertThat(w.next().getDevicesCount()).isEqualTo(4);
      Path numvfs = node.root().pciAttribute(PciAddress.parse("0000:3b:00.0"), "sriov_numvfs");
      node.kernel().write(numvfs, "0", Duration.ofSeconds(5));
      node.kernel().write(numvfs, "6", Duration.ofSeconds(5));
      // The link add/remove events trigger a rescan; wait for the list with all 6 VFs.
      ListAndWatchResponse r;
      do {
        r = w.next();
        assertThat(r).as("a list with 6 VFs").isNotNull();
      } while (r.getDevicesCount() != 6 || PluginClient.health(r).containsValue("Unhealthy"));
      assertThat(PluginClient.health(r).keySet()).contains("0000:3c:00.4", "0000:3c:00.5");
    }
  }

  /**
   * QAT VFs are bound to vfio-pci: no netdev, so no link event. Only the PCI device events can
   * trigger the rescan (the periodic one is an hour away in this test). A vanished device stays
   * advertised as Unhealthy for the gone-retention time (kubelet no longer allocates it), so the
   * removed VF must turn Unhealthy (or be gone) while the remaining one stays Healthy.
   */
  @Test
  void vfioVfRemovedByLoweringNumVfsStopsBeingAllocatableWithoutThePeriodicRescan()
      throws Exception {
    try (PluginClient c = fx.client("intel.com_qat.sock")) {
      PluginClient.Watch w = c.watch();
      ListAndWatchResponse before = w.next();
      assertThat(PluginClient.health(before))
          .containsExactly(Map.entry(QAT_VF0, "Healthy"), Map.entry(QAT_VF1, "Healthy"));
      Path numvfs = node.root().pciAttribute(PciAddress.parse("0000:6b:00.0"), "sriov_numvfs");
      node.kernel().write(numvfs, "0", Duration.ofSeconds(5));
      node.kernel().write(numvfs, "1", Duration.ofSeconds(5));
      // A rescan may run between the two writes (a busy machine): both VFs are then gone for a
      // moment. Wait for the list after the last write: VF 0 back, VF 1 not allocatable.
      ListAndWatchResponse r;
      Map<String, String> health;
      do {
        r = w.next();
        assertThat(r)
            .as("a list where " + QAT_VF0 + " is Healthy and " + QAT_VF1 + " is not, within 30 s")
            .isNotNull();
        health = PluginClient.health(r);
      } while ("Healthy".equals(health.get(QAT_VF1)) || !"Healthy".equals(health.get(QAT_VF0)));
      assertThat(health).containsEntry(QAT_VF0, "Healthy");
      assertThat(health.getOrDefault(QAT_VF1, "absent")).isIn("Unhealthy", "absent");
    }
  }

  /** A VF unbound from vfio-pci leaves the pool that selects {@code drivers: [vfio-pci]}. */
  @Test
  void vfUnboundFromVfioLeavesTheDriverSelectedPoolWithoutThePeriodicRescan() throws Exception {
    try (PluginClient c = fx.client("intel.com_qat.sock")) {
      PluginClient.Watch w = c.watch();
      assertThat(PluginClient.health(w.next()).keySet()).containsExactly(QAT_VF0, QAT_VF1);
      Path unbind =
          node.root().pciDriver(io.sriov.core.value.DriverName.VFIO_PCI).resolve("unbind");
      node.kernel().write(unbind, QAT_VF1, Duration.ofSeconds(5));
      ListAndWatchResponse r;
      do {
        r = w.next();
        assertThat(r).as("a list without " + QAT_VF1 + " within 30 s").isNotNull();
      } while (PluginClient.health(r).containsKey(QAT_VF1));
      assertThat(PluginClient.health(r).keySet()).containsExactly(QAT_VF0);
    }
  }

  @Test
  void configEditAddsAndRetiresResources() throws Exception {
    reconciler.apply(
        config(
            "{\"resourceList\": [{\"resourceName\": \"all_vfs\", \"selectors\": {\"pfNames\":"
                + " [\"ens1f0\", \"ens2f0np0\"]}}]}"));
    assertThat(fx.manager.endpoints()).containsOnlyKeys("intel.com/all_vfs");
    try (PluginClient c = fx.client("intel.com_all_vfs.sock")) {
      assertThat(c.watch().next().getDevicesCount()).isEqualTo(6);
    }
    assertThatThrownBy(() -> reconciler.apply(config("{\"resourceList\": []}")))
        .isInstanceOf(PlanException.class)
        .hasMessage("config.json: no resource configuration (resourceList is empty)");
    assertThat(fx.manager.endpoints()).containsOnlyKeys("intel.com/all_vfs");
  }
}
