package io.sriov.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.config.DeviceType;
import io.sriov.core.config.ResourceConfig;
import io.sriov.core.resource.ResourceName;
import io.sriov.core.resource.ResourcePrefix;
import io.sriov.core.selector.IndexRange;
import io.sriov.core.selector.NetDeviceSelector;
import io.sriov.core.value.PciAddress;
import io.sriov.daemon.apply.ApplyReport;
import io.sriov.daemon.apply.PfResult;
import io.sriov.daemon.desired.DesiredNode;
import io.sriov.daemon.desired.DesiredPf;
import io.sriov.daemon.desired.DesiredVfGroup;
import io.sriov.daemon.desired.VfDeviceType;
import io.sriov.daemon.plan.PfPlan;
import io.sriov.daemon.state.InterfaceSpec;
import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.VfStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DesiredPoolsTest {
  static final PciAddress A = PciAddress.parse("0000:3b:00.0");
  static final PciAddress B = PciAddress.parse("0000:3b:00.1");
  static final PciAddress C = PciAddress.parse("0000:af:00.0");
  static final ResourcePrefix PREFIX = ResourcePrefix.of("openshift.io");

  static DesiredVfGroup group(String name, int first, int last, boolean rdma) {
    return new DesiredVfGroup(
        ResourceName.of(name),
        VfDeviceType.NETDEVICE,
        new IndexRange(first, last),
        "p",
        OptionalInt.empty(),
        rdma);
  }

  static DesiredPf pf(PciAddress a, int numVfs, DesiredVfGroup... groups) {
    return new DesiredPf(
        a,
        numVfs,
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        List.of(groups),
        new InterfaceSpec(a.toString(), numVfs, 0, "", "", "", List.of(), false));
  }

  static PfResult result(PciAddress a, PfResult.Outcome outcome) {
    return new PfResult(
        a,
        a.toString(),
        PfPlan.Action.CONFIGURE,
        outcome,
        List.of(),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  /** PF {@code a}'s status with VFs {@code 0..n-1} at {@code <bus>:00.<i>}. */
  static InterfaceStatus status(PciAddress a, String vfBus, int n) {
    List<VfStatus> vfs =
        java.util.stream.IntStream.range(0, n)
            .mapToObj(
                i ->
                    new VfStatus(
                        "",
                        "",
                        "",
                        "iavf",
                        "0000:" + vfBus + ":00." + i,
                        "8086",
                        "1889",
                        0,
                        1500,
                        i,
                        "",
                        "",
                        ""))
            .toList();
    return new InterfaceStatus(
        "",
        "",
        "ice",
        a.toString(),
        "8086",
        "159b",
        "",
        1500,
        n,
        "",
        "ETH",
        "up",
        "legacy",
        false,
        256,
        vfs,
        List.of());
  }

  static List<String> addresses(ResourceConfig rc) {
    assertThat(rc.deviceType()).isEqualTo(DeviceType.NET_DEVICE);
    assertThat(rc.selectors()).hasSize(1);
    return ((NetDeviceSelector) rc.selectors().get(0))
        .pciAddresses().stream().map(PciAddress::toString).toList();
  }

  @Test
  void onePoolPerResourceNameWithExactlyTheGroupsVfsOfPfsThatApplied() {
    DesiredNode desired =
        new DesiredNode(
            List.of(
                pf(A, 4, group("net", 0, 1, false), group("rdma", 2, 3, true)),
                pf(B, 2, group("net", 1, 1, false)),
                pf(C, 2, group("failed", 0, 1, false))));
    ApplyReport report =
        new ApplyReport(
            List.of(
                result(A, PfResult.Outcome.APPLIED),
                result(B, PfResult.Outcome.UNCHANGED),
                result(C, PfResult.Outcome.ROLLED_BACK)));
    NodeStateStatus status =
        new NodeStateStatus(
            List.of(status(A, "3c", 4), status(B, "3d", 2), status(C, "b0", 2)),
            "Failed",
            "x",
            Map.of(),
            Map.of(),
            List.of());

    DesiredPools.Pools pools = DesiredPools.render(desired, report, status, PREFIX);

    assertThat(pools.pools())
        .extracting(ResourceConfig::fullName)
        .containsExactly("openshift.io/net", "openshift.io/rdma");
    assertThat(addresses(pools.pools().get(0)))
        .containsExactly("0000:3c:00.0", "0000:3c:00.1", "0000:3d:00.1");
    assertThat(((NetDeviceSelector) pools.pools().get(0).selectors().get(0)).isRdma()).isFalse();
    assertThat(addresses(pools.pools().get(1))).containsExactly("0000:3c:00.2", "0000:3c:00.3");
    assertThat(((NetDeviceSelector) pools.pools().get(1).selectors().get(0)).isRdma()).isTrue();
    assertThat(pools.withoutDevices()).containsExactly("failed");
  }
}
