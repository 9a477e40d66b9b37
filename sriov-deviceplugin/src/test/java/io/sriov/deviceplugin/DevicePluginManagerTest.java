package io.sriov.deviceplugin;

import static io.sriov.deviceplugin.testing.TestDevices.vf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sriov.core.device.Device;
import io.sriov.core.device.OperState;
import io.sriov.core.port.LinkEvent;
import io.sriov.core.value.InterfaceName;
import io.sriov.deviceplugin.api.v1beta1.AllocateResponse;
import io.sriov.deviceplugin.kubelet.RegistrationMode;
import io.sriov.deviceplugin.pool.DeviceKind;
import io.sriov.deviceplugin.pool.PoolSpec;
import io.sriov.deviceplugin.pool.ResourcePool;
import io.sriov.deviceplugin.testing.PluginClient;
import io.sriov.deviceplugin.testing.PluginFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicePluginManagerTest {
  private static final PoolSpec NET =
      PoolSpec.simple("intel.com", "sriov_net", DeviceKind.NET_DEVICE);
  private static final PoolSpec DPDK =
      PoolSpec.simple("intel.com", "sriov_dpdk", DeviceKind.NET_DEVICE);
  private static final String NET_SOCK = "intel.com_sriov_net.sock";

  private final Device a0 = vf("0000:af:00.0", "ens1f0", 0).build();
  private final Device a1 = vf("0000:af:00.0", "ens1f0", 1).build();
  private final Device b0 = vf("0000:b0:00.0", "ens2f0", 0).numa(1).build();
  private final Device d0 =
      vf("0000:b0:00.0", "ens2f0", 4).driver("vfio-pci").iommu(71, false).numa(1).build();

  @TempDir Path tmp;
  private PluginFixture fx;

  @AfterEach
  void tearDown() {
    if (fx != null) {
      fx.close();
    }
  }

  private PluginFixture start(boolean cdi, List<ResourcePool> pools) {
    fx = new PluginFixture(tmp, RegistrationMode.WATCHER, cdi);
    fx.manager.apply(pools, Set.of());
    return fx;
  }

  private static LinkEvent link(String name, boolean carrier) {
    return new LinkEvent(
        LinkEvent.Kind.CHANGED,
        7,
        InterfaceName.of(name),
        carrier ? OperState.UP : OperState.DOWN,
        carrier);
  }

  @Test
  void pfCarrierLossMarksItsVfsUnhealthyAndReturnRestoresThem() throws Exception {
    start(false, List.of(new ResourcePool(NET, List.of(a0, a1, b0))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      PluginClient.Watch w = c.watch();
      assertThat(PluginClient.health(w.next()).values()).containsOnly("Healthy");

      fx.manager.onLinkEvent(link("ens1f0", false));
      assertThat(PluginClient.health(w.next()))
          .containsExactly(
              Map.entry("0000:af:02.0", "Unhealthy"),
              Map.entry("0000:af:02.1", "Unhealthy"),
              Map.entry("0000:b0:02.0", "Healthy"));

      fx.manager.onLinkEvent(link("ens2f0", true)); // no change: nothing is sent
      fx.manager.onLinkEvent(link("ens1f0", true));
      assertThat(PluginClient.health(w.next()).values()).containsOnly("Healthy");
      assertThat(w.lists).isEmpty();
    }
  }

  @Test
  void aPoolWithoutCarrierHealthStaysHealthyWhenItsPfLosesCarrier() throws Exception {
    PoolSpec local = NET.withCarrierHealth(false);
    start(false, List.of(new ResourcePool(local, List.of(a0, a1))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      PluginClient.Watch w = c.watch();
      assertThat(PluginClient.health(w.next()).values()).containsOnly("Healthy");
      fx.manager.onLinkEvent(link("ens1f0", false));
      fx.manager.apply(List.of(new ResourcePool(local, List.of(a0, a1))), Set.of());
      assertThat(fx.manager.advertised().get("intel.com/sriov_net").unhealthy()).isEmpty();
      assertThat(w.lists).isEmpty();
    }
  }

  @Test
  void pfLinkRemovedMarksItsVfsUnhealthy() throws Exception {
    start(false, List.of(new ResourcePool(NET, List.of(a0, b0))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      PluginClient.Watch w = c.watch();
      w.next();
      fx.manager.onLinkEvent(
          new LinkEvent(
              LinkEvent.Kind.REMOVED, 9, InterfaceName.of("ens2f0"), OperState.DOWN, false));
      assertThat(PluginClient.health(w.next()))
          .containsExactly(
              Map.entry("0000:af:02.0", "Healthy"), Map.entry("0000:b0:02.0", "Unhealthy"));
    }
  }

  @Test
  void vanishedDeviceStaysUnhealthyThenHealthyOnReturnAndIsDroppedAfterRetention()
      throws Exception {
    start(false, List.of(new ResourcePool(NET, List.of(a0, a1))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      PluginClient.Watch w = c.watch();
      w.next();
      // a1 is no longer discovered at all (e.g. the PF was reset).
      fx.manager.apply(List.of(new ResourcePool(NET, List.of(a0))), Set.of(a0.id()));
      assertThat(PluginClient.health(w.next()))
          .containsExactly(
              Map.entry("0000:af:02.0", "Healthy"), Map.entry("0000:af:02.1", "Unhealthy"));
      // It comes back.
      fx.manager.apply(List.of(new ResourcePool(NET, List.of(a0, a1))), Set.of(a0.id(), a1.id()));
      assertThat(PluginClient.health(w.next()).values()).containsOnly("Healthy");
      // Gone again, for longer than the retention: dropped.
      fx.manager.apply(List.of(new ResourcePool(NET, List.of(a0))), Set.of(a0.id()));
      w.next();
      fx.clock.advance(Duration.ofMinutes(2));
      fx.manager.superviseOnce();
      assertThat(PluginClient.health(w.next()))
          .containsExactly(Map.entry("0000:af:02.0", "Healthy"));
    }
  }

  @Test
  void aDeviceTheHostRemovedOnPurposeLeavesItsPoolAtOnceAfterTheRescanMissedIt() throws Exception {
    start(false, List.of(new ResourcePool(NET, List.of(a0, a1, b0))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      PluginClient.Watch w = c.watch();
      w.next();
      // The rescan ran first: a1 and b0 are no longer discovered, held Unhealthy as gone.
      fx.manager.apply(List.of(new ResourcePool(NET, List.of(a0))), Set.of(a0.id()));
      assertThat(PluginClient.health(w.next()))
          .containsExactly(
              Map.entry("0000:af:02.0", "Healthy"),
              Map.entry("0000:af:02.1", "Unhealthy"),
              Map.entry("0000:b0:02.0", "Unhealthy"));
      // The node daemon says it removed a1 (fewer VFs): a1 goes at once; b0, which vanished
      // without the host saying so, keeps its retention.
      fx.manager.removedOnPurpose(Set.of(a1.id()));
      assertThat(PluginClient.health(w.next()))
          .containsExactly(
              Map.entry("0000:af:02.0", "Healthy"), Map.entry("0000:b0:02.0", "Unhealthy"));
    }
  }

  @Test
  void aDeviceTheHostRemovedOnPurposeBeforeTheRescanIsNeverHeldAsGoneAndMayComeBack()
      throws Exception {
    start(false, List.of(new ResourcePool(NET, List.of(a0, a1))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      PluginClient.Watch w = c.watch();
      w.next();
      fx.manager.removedOnPurpose(Set.of(a1.id(), "0000:ff:02.7")); // unknown IDs are ignored
      assertThat(w.lists).isEmpty(); // nothing to change before the rescan
      fx.manager.apply(List.of(new ResourcePool(NET, List.of(a0))), Set.of(a0.id()));
      assertThat(PluginClient.health(w.next()))
          .containsExactly(Map.entry("0000:af:02.0", "Healthy"));
      // Created again later (more VFs): served, and when it vanishes unannounced afterwards, it is
      // held as gone again (the on-purpose mark was used up when it was discovered).
      fx.manager.apply(List.of(new ResourcePool(NET, List.of(a0, a1))), Set.of(a0.id(), a1.id()));
      assertThat(PluginClient.health(w.next()).values()).containsOnly("Healthy");
      fx.manager.apply(List.of(new ResourcePool(NET, List.of(a0))), Set.of(a0.id()));
      assertThat(PluginClient.health(w.next()))
          .containsExactly(
              Map.entry("0000:af:02.0", "Healthy"), Map.entry("0000:af:02.1", "Unhealthy"));
    }
  }

  @Test
  void deviceMovedOutOfThePoolByConfigIsDroppedAtOnce() throws Exception {
    start(false, List.of(new ResourcePool(NET, List.of(a0, a1))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      PluginClient.Watch w = c.watch();
      w.next();
      fx.manager.apply(List.of(new ResourcePool(NET, List.of(a0))), Set.of(a0.id(), a1.id()));
      assertThat(PluginClient.health(w.next()))
          .containsExactly(Map.entry("0000:af:02.0", "Healthy"));
    }
  }

  @Test
  void reconfigurationStartsNewResourcesAndRetiresRemovedOnes() throws Exception {
    start(false, List.of(new ResourcePool(NET, List.of(a0, a1))));
    Path netSock = fx.socket(NET_SOCK);
    Path dpdkSock = fx.socket("intel.com_sriov_dpdk.sock");
    try (PluginClient c = fx.client(NET_SOCK)) {
      PluginClient.Watch w = c.watch();
      w.next();
      fx.manager.apply(List.of(new ResourcePool(DPDK, List.of(d0))), Set.of(d0.id()));
      assertThat(w.awaitEnd()).isTrue();
    }
    assertThat(Files.exists(netSock)).isFalse();
    assertThat(Files.exists(dpdkSock)).isTrue();
    assertThat(fx.manager.endpoints()).containsOnlyKeys("intel.com/sriov_dpdk");
    try (PluginClient c = fx.client("intel.com_sriov_dpdk.sock")) {
      assertThat(PluginClient.health(c.watch().next())).containsOnlyKeys("0000:b0:02.4");
    }
  }

  @Test
  void allocateOverGrpcWritesDeviceInfoAndRejectsBadIds() throws Exception {
    start(false, List.of(new ResourcePool(NET, List.of(a0, a1))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      AllocateResponse r = c.allocate(List.of(List.of("0000:af:02.1")));
      assertThat(r.getContainerResponses(0).getEnvsOrThrow("PCIDEVICE_INTEL_COM_SRIOV_NET"))
          .isEqualTo("0000:af:02.1");
      Path info = fx.devinfoDir.resolve("intel.com-sriov_net-0000:af:02.1-device.json");
      JsonNode doc = new ObjectMapper().readTree(info.toFile());
      assertThat(doc.toString())
          .isEqualTo(
              "{\"type\":\"pci\",\"version\":\"1.1.0\",\"pci\":{\"pci-address\":\"0000:af:02.1\"}}");

      assertThatThrownBy(
              () -> c.allocate(List.of(List.of("0000:af:02.0"), List.of("0000:af:07.7"))))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription())
                    .isEqualTo("device \"0000:af:07.7\" is not in resource intel.com/sriov_net");
              });
      // Nothing changed for the valid container of the failed call.
      assertThat(fx.devinfoDir.resolve("intel.com-sriov_net-0000:af:02.0-device.json"))
          .doesNotExist();
      assertThat(fx.counter("sriov.deviceplugin.allocate", "intel.com/sriov_net", "invalid"))
          .isZero(); // a timer, not a counter
      assertThat(
              fx.meters
                  .find("sriov.deviceplugin.allocate")
                  .tag("resource", "intel.com/sriov_net")
                  .tag("result", "invalid")
                  .timer()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void deviceInfoFilesOfThePoolAreCleanedAtStartAndStopButNotOtherPools() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("devinfo"));
    Path stale =
        Files.writeString(dir.resolve("intel.com-sriov_net-0000:af:02.5-device.json"), "{}");
    Path other =
        Files.writeString(dir.resolve("intel.com-sriov_net-b-0000:af:02.5-device.json"), "{}");
    start(false, List.of(new ResourcePool(NET, List.of(a0))));
    assertThat(stale).doesNotExist();
    assertThat(other).exists();
    try (PluginClient c = fx.client(NET_SOCK)) {
      c.allocate(List.of(List.of("0000:af:02.0")));
    }
    assertThat(dir.resolve("intel.com-sriov_net-0000:af:02.0-device.json")).exists();
    fx.manager.close();
    assertThat(dir.resolve("intel.com-sriov_net-0000:af:02.0-device.json")).doesNotExist();
    assertThat(other).exists();
  }

  @Test
  void cdiModeWritesSpecFilesReturnsAnnotationsAndCleansUp() throws Exception {
    Path cdi = Files.createDirectories(tmp.resolve("cdi"));
    Path stale = Files.writeString(cdi.resolve("sriov-dp-old-pool.json"), "{}");
    Path staleUpstream =
        Files.writeString(cdi.resolve("sriov-dp-intel.com-net-pci-sriov_dpdk.yaml"), "x");
    Path foreign = Files.writeString(cdi.resolve("vendor.json"), "{}");
    // An interrupted AtomicFiles write of the previous process.
    Path temp =
        Files.writeString(
            cdi.resolve(".sriov-dp-intel.com-net-pci-sriov.0123456789abcdef.tmp"), "cdiV");
    start(true, List.of(new ResourcePool(DPDK, List.of(d0))));
    assertThat(stale).doesNotExist();
    assertThat(temp).doesNotExist();
    assertThat(foreign).exists();
    assertThat(staleUpstream).content().isNotEqualTo("x");
    assertThat(Files.readString(cdi.resolve("sriov-dp-intel.com-net-pci-sriov_dpdk.yaml")))
        .isEqualTo(
            """
            cdiVersion: 0.5.0
            containerEdits: {}
            devices:
            - containerEdits:
                deviceNodes:
                - hostPath: /dev/vfio/vfio
                  path: /dev/vfio/vfio
                  permissions: rw
                - hostPath: /dev/vfio/71
                  path: /dev/vfio/71
                  permissions: rw
              name: 0000:b0:02.4
            kind: intel.com/net-pci
            """);
    try (PluginClient c = fx.client("intel.com_sriov_dpdk.sock")) {
      AllocateResponse r = c.allocate(List.of(List.of("0000:b0:02.4")));
      assertThat(r.getContainerResponses(0).getDevicesList()).isEmpty();
      assertThat(r.getContainerResponses(0).getAnnotationsMap())
          .containsExactly(
              Map.entry("cdi.k8s.io/intel.com_net-pci", "intel.com/net-pci=0000:b0:02.4"));
    }
    fx.manager.close();
    try (Stream<Path> left = Files.list(cdi)) {
      assertThat(left).containsExactly(foreign);
    }
  }

  @Test
  void anEndpointThatCannotListenDoesNotStopTheOthersAndIsRetried() throws Exception {
    fx = new PluginFixture(tmp, RegistrationMode.WATCHER, false);
    Path blocker = fx.socket(NET_SOCK);
    Files.createDirectories(blocker.resolve("x")); // a non-empty directory where the socket goes
    fx.manager.apply(
        List.of(new ResourcePool(NET, List.of(a0)), new ResourcePool(DPDK, List.of(d0))), Set.of());
    assertThat(fx.manager.endpoints().get("intel.com/sriov_net").state())
        .isEqualTo(io.sriov.deviceplugin.kubelet.PluginEndpoint.State.STOPPED);
    assertThat(fx.manager.endpoints().get("intel.com/sriov_dpdk").state())
        .isEqualTo(io.sriov.deviceplugin.kubelet.PluginEndpoint.State.SERVING);

    long failedAt = System.nanoTime();
    Files.delete(blocker.resolve("x"));
    Files.delete(blocker);
    // Retried with backoff (1 s after the first failure), not at every supervision round.
    fx.manager.superviseOnce();
    assertThat(fx.manager.endpoints().get("intel.com/sriov_net").state())
        .isEqualTo(io.sriov.deviceplugin.kubelet.PluginEndpoint.State.STOPPED);
    long deadline = failedAt + 10_000_000_000L;
    while (fx.manager.endpoints().get("intel.com/sriov_net").state()
            != io.sriov.deviceplugin.kubelet.PluginEndpoint.State.SERVING
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      fx.manager.superviseOnce();
    }
    assertThat(fx.manager.endpoints().get("intel.com/sriov_net").state())
        .isEqualTo(io.sriov.deviceplugin.kubelet.PluginEndpoint.State.SERVING);
    assertThat(System.nanoTime() - failedAt).isGreaterThanOrEqualTo(900_000_000L);
    try (PluginClient c = fx.client(NET_SOCK)) {
      assertThat(PluginClient.health(c.watch().next())).containsOnlyKeys("0000:af:02.0");
    }
  }

  @Test
  void preferredAllocationOverGrpc() {
    start(false, List.of(new ResourcePool(NET, List.of(a0, a1, b0))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      assertThat(
              c.preferred(
                  List.of("0000:af:02.0", "0000:af:02.1", "0000:b0:02.0"),
                  List.of("0000:b0:02.0"),
                  1))
          .containsExactly("0000:b0:02.0");
      assertThat(c.preferred(List.of("0000:af:02.0", "0000:af:02.1", "0000:b0:02.0"), List.of(), 2))
          .containsExactly("0000:af:02.0", "0000:af:02.1");
    }
  }

  private static void assertStatus(
      Status.Code code,
      String description,
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).isEqualTo(description);
            });
  }

  @Test
  void badAllocateRequestsAreShortInvalidArgumentsAndWriteErrorsKeepTheOsCause() throws Exception {
    start(false, List.of(new ResourcePool(NET, List.of(a0, a1))));
    try (PluginClient c = fx.client(NET_SOCK)) {
      assertStatus(
          Status.Code.INVALID_ARGUMENT,
          "device \"" + "y".repeat(80) + "...\" is not in resource intel.com/sriov_net",
          () -> c.allocate(List.of(List.of("y".repeat(10_000)))));
      assertStatus(
          Status.Code.INVALID_ARGUMENT,
          "device \"0000:af:02.0\" is requested twice for resource intel.com/sriov_net",
          () -> c.allocate(List.of(List.of("0000:af:02.0"), List.of("0000:af:02.0"))));
      try (Stream<Path> files = Files.list(fx.devinfoDir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(fx.devinfoDir);
      Files.writeString(fx.devinfoDir, "not a directory");
      assertStatus(
          Status.Code.INTERNAL,
          "cannot write device-info file "
              + fx.devinfoDir.resolve("intel.com-sriov_net-0000:af:02.1-device.json")
              + ": "
              + fx.devinfoDir.resolve("intel.com-sriov_net-0000:af:02.1-device.json")
              + ": "
              + fx.devinfoDir
              + " is not a directory",
          () -> c.allocate(List.of(List.of("0000:af:02.1"))));
    }
  }

  @Test
  void aStoppingInstanceRemovesOnlyWhatItCreatedItself() throws Exception {
    // A DaemonSet rolling update with surge: the new instance starts while the old one serves.
    PluginFixture old = new PluginFixture(tmp, RegistrationMode.WATCHER, true);
    try {
      old.manager.apply(
          List.of(new ResourcePool(NET, List.of(a0)), new ResourcePool(DPDK, List.of(d0))),
          Set.of());
      try (PluginClient c = old.client(NET_SOCK)) {
        c.allocate(List.of(List.of("0000:af:02.0")));
      }
      start(true, List.of(new ResourcePool(NET, List.of(a0)), new ResourcePool(DPDK, List.of(d0))));
      try (PluginClient c = fx.client(NET_SOCK)) {
        c.allocate(List.of(List.of("0000:af:02.0")));
      }
      Path devinfo = fx.devinfoDir.resolve("intel.com-sriov_net-0000:af:02.0-device.json");
      Path spec = fx.cdiDir.resolve("sriov-dp-intel.com-net-pci-sriov_dpdk.yaml");
      old.close();
      assertThat(fx.socket(NET_SOCK)).exists();
      assertThat(devinfo).exists();
      assertThat(spec).exists();
      try (PluginClient c = fx.client(NET_SOCK)) {
        assertThat(PluginClient.health(c.watch().next())).containsOnlyKeys("0000:af:02.0");
      }
      // And the new instance, stopping in turn, removes its own.
      fx.close();
      fx = null;
      assertThat(devinfo).doesNotExist();
      assertThat(spec).doesNotExist();
      assertThat(tmp.resolve("reg").resolve(NET_SOCK)).doesNotExist();
    } finally {
      old.close();
    }
  }
}
