package io.sriov.daemon.status;

import static io.sriov.daemon.testing.NodeFixture.CX6;
import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.E810_1;
import static io.sriov.daemon.testing.NodeFixture.external;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.daemon.apply.ApplyReport;
import io.sriov.daemon.desired.DesiredNode;
import io.sriov.daemon.state.InterfaceStatus;
import io.sriov.daemon.state.NodeStateCodec;
import io.sriov.daemon.state.NodeStateSpec;
import io.sriov.daemon.state.NodeStateStatus;
import io.sriov.daemon.state.SriovNetworkNodeState;
import io.sriov.daemon.state.SyncStatus;
import io.sriov.daemon.state.VfStatus;
import io.sriov.daemon.testing.NodeFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusReporterTest {
  @TempDir Path dir;
  NodeFixture f;
  final StatusReporter reporter = new StatusReporter();

  @BeforeEach
  void setUp() {
    f = new NodeFixture(dir);
  }

  @Test
  void statusAfterApplyShowsWhatTheNodeShows() {
    NodeStateSpec spec =
        spec(
            pf(
                E810_0,
                3,
                9000,
                "",
                group("net", "netdevice", "0-1", 9000),
                group("dpdk", "vfio-pci", "2-2")),
            external(E810_1, 0, 0));
    DesiredNode desired = f.validate(spec);
    ApplyReport report = f.apply(spec);
    NodeStateStatus status = reporter.afterApply(f.observe(), desired, report);

    assertThat(status.syncStatus()).isEqualTo("Succeeded");
    assertThat(status.lastSyncError()).isEmpty();
    assertThat(status.interfaces())
        .extracting(InterfaceStatus::pciAddress)
        .containsExactly("0000:3b:00.0", "0000:3b:00.1", "0000:af:00.0", "0000:d8:00.0");
    InterfaceStatus e810 = status.interfaces().get(0);
    assertThat(e810)
        .usingRecursiveComparison()
        .ignoringFields("vfs")
        .isEqualTo(
            new InterfaceStatus(
                "ens1f0",
                "02:00:3b:00:00:00",
                "ice",
                "0000:3b:00.0",
                "8086",
                "159b",
                "",
                9000,
                3,
                "25000 Mb/s",
                "ETH",
                "up",
                "legacy",
                false,
                16,
                List.of(),
                List.of()));
    assertThat(e810.vfs())
        .containsExactly(
            new VfStatus(
                "ens1f0v0",
                "02:00:3c:00:00:00",
                "",
                "iavf",
                "0000:3c:00.0",
                "8086",
                "1889",
                0,
                9000,
                0,
                "",
                "",
                ""),
            new VfStatus(
                "ens1f0v1",
                "02:00:3c:01:00:00",
                "",
                "iavf",
                "0000:3c:00.1",
                "8086",
                "1889",
                0,
                9000,
                1,
                "",
                "",
                ""),
            new VfStatus(
                "", "", "", "vfio-pci", "0000:3c:00.2", "8086", "1889", 0, 0, 2, "", "", ""));
    assertThat(status.interfaces().get(1).externallyManaged()).isTrue();
    InterfaceStatus ib = status.interfaces().get(3);
    assertThat(ib.linkType()).isEqualTo("IB");
    assertThat(ib.mtu()).isEqualTo(2044);
  }

  @Test
  void failedApplyIsFailedWithTheErrors() {
    NodeStateSpec spec = spec(external(E810_0, 8, 0), pf(CX6, 2));
    DesiredNode desired = f.validate(spec);
    NodeStateStatus status = reporter.afterApply(f.observe(), desired, f.apply(spec));
    assertThat(status.syncStatus()).isEqualTo("Failed");
    assertThat(status.lastSyncError())
        .isEqualTo(
            "0000:3b:00.0: externallyManaged: numVfs 8 but the PF has 4 VFs (the daemon does not create VFs on an externally managed PF)");
    NodeStateStatus progress =
        reporter.status(f.observe(), desired, SyncStatus.IN_PROGRESS, status.lastSyncError());
    assertThat(progress.syncStatus()).isEqualTo("InProgress");
    assertThat(progress.lastSyncError()).isEqualTo(status.lastSyncError());
  }

  @Test
  void statusGoesIntoTheObjectWithUpstreamNames() {
    NodeStateSpec spec = spec(pf(E810_1, 1, group("r", "vfio-pci", "0-0")));
    DesiredNode desired = f.validate(spec);
    NodeStateStatus status = reporter.afterApply(f.observe(), desired, f.apply(spec));
    String json =
        new NodeStateCodec().toJson(SriovNetworkNodeState.of("worker-0", spec).withStatus(status));
    assertThat(json)
        .contains("\"totalvfs\" : 16")
        .contains("\"Vfs\" : [ {")
        .contains("\"vfID\" : 0")
        .contains("\"linkSpeed\" : \"25000 Mb/s\"")
        .contains("\"syncStatus\" : \"Succeeded\"");
  }

  @Test
  void rendersAReadableTable() {
    NodeStateStatus status =
        NodeStateStatus.of(
            List.of(
                new InterfaceStatus(
                    "ens1f0",
                    "02:00:3b:00:00:00",
                    "ice",
                    "0000:3b:00.0",
                    "8086",
                    "159b",
                    "",
                    9000,
                    2,
                    "25000 Mb/s",
                    "ETH",
                    "up",
                    "legacy",
                    false,
                    16,
                    List.of(
                        new VfStatus(
                            "ens1f0v0",
                            "02:00:3c:00:00:00",
                            "",
                            "iavf",
                            "0000:3c:00.0",
                            "8086",
                            "1889",
                            100,
                            9000,
                            0,
                            "",
                            "",
                            ""),
                        new VfStatus(
                            "",
                            "",
                            "",
                            "vfio-pci",
                            "0000:3c:00.1",
                            "8086",
                            "1889",
                            0,
                            0,
                            1,
                            "",
                            "",
                            "")),
                    List.of()),
                new InterfaceStatus(
                    "",
                    "",
                    "",
                    "0000:3b:00.1",
                    "8086",
                    "159b",
                    "",
                    0,
                    0,
                    "",
                    "ETH",
                    "",
                    "legacy",
                    true,
                    16,
                    List.of(),
                    List.of())),
            SyncStatus.FAILED,
            "0000:3b:00.1: boom");
    assertThat(new StatusTable().render(status))
        .isEqualTo(
            """
            PF            NAME    DRIVER  ID         LINK  SPEED       MTU   VFS   ESWITCH  EXTERNAL
            0000:3b:00.0  ens1f0  ice     8086:159b  up    25000 Mb/s  9000  2/16  legacy   no
              VF 0  0000:3c:00.0  ens1f0v0  iavf  mtu 9000  mac 02:00:3c:00:00:00  vlan 100
              VF 1  0000:3c:00.1  -  vfio-pci
            0000:3b:00.1  -       -       8086:159b  -     -           -     0/16  legacy   yes
            sync: Failed  last error: 0000:3b:00.1: boom
            """);
  }
}
