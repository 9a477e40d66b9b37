package io.sriov.simulator.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sriov.core.value.DriverName;
import io.sriov.core.value.InterfaceName;
import io.sriov.core.value.PciAddress;
import io.sriov.core.value.PciId;
import io.sriov.simulator.SimulatedNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopologyTest {
  @TempDir Path dir;

  Topology load(String yaml) throws Exception {
    Path f = dir.resolve("t.yaml");
    Files.writeString(f, yaml);
    return Topology.load(f);
  }

  String file() {
    return dir.resolve("t.yaml").toString();
  }

  @Test
  void builtInResemblesARealServer() {
    Topology t = Topology.builtIn();
    assertThat(t.name()).isEqualTo("builtin-server");
    assertThat(t.pfs()).hasSize(4);
    Topology.Pf e810 = t.pfs().get(0);
    assertThat(e810.vendor()).isEqualTo(PciId.parse("8086"));
    assertThat(e810.device()).isEqualTo(PciId.parse("159b"));
    assertThat(e810.vfDevice()).isEqualTo(PciId.parse("1889"));
    assertThat(e810.driver()).isEqualTo(DriverName.of("ice"));
    assertThat(e810.vfDriver()).isEqualTo(DriverName.of("iavf"));
    assertThat(e810.totalVfs()).isEqualTo(256);
    Topology.Pf cx6 = t.pfs().get(2);
    assertThat(cx6.device()).isEqualTo(PciId.parse("101d"));
    assertThat(cx6.rdma()).isTrue();
    assertThat(cx6.totalVfs()).isEqualTo(8);
    Topology.Pf qat = t.pfs().get(3);
    assertThat(qat.classCode()).isEqualTo(0x120000);
    assertThat(qat.network()).isFalse();
    assertThat(qat.netdev()).isNull();
  }

  @Test
  void defaultsAndVfAddresses() throws Exception {
    Topology t =
        load(
            """
            pfs:
              - address: "0000:05:00.1"
                vendor: "8086"
                device: "1521"
                driver: igb
                totalVfs: 7
                netdev: enp5s0f1
            """);
    Topology.Pf pf = t.pfs().get(0);
    assertThat(t.name()).isEqualTo("simulated-node");
    assertThat(pf.vfDevice()).isEqualTo(PciId.parse("1521"));
    assertThat(pf.vfDriver()).isEqualTo(DriverName.of("igb"));
    assertThat(pf.numVfs()).isZero();
    assertThat(pf.mtu()).isEqualTo(1500);
    assertThat(pf.numaNode()).isEqualTo(-1);
    assertThat(pf.netdev()).isEqualTo(InterfaceName.of("enp5s0f1"));
    assertThat(pf.firstVf()).isEqualTo(PciAddress.parse("0000:07:00.0"));
    assertThat(pf.vfAddress(6)).isEqualTo(PciAddress.parse("0000:07:00.6"));
    assertThat(pf.vfAddress(9)).isEqualTo(PciAddress.parse("0000:07:01.1"));
  }

  @Test
  void unknownKeyIsAnError() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    pfs:
                      - {address: "0000:05:00.0", vendor: "8086", device: "1521", driver: igb,
                         netdev: a, numvf: 3}
                    """))
        .isInstanceOf(Topology.InvalidTopologyException.class)
        .hasMessage("topology " + file() + ": pfs[0].numvf: unknown key \"numvf\"");
  }

  @Test
  void badPciAddress() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    pfs:
                      - address: "0000:05:00.9"
                    """))
        .hasMessage(
            "topology "
                + file()
                + ": pfs[0].address: PCI address \"0000:05:00.9\": function number must be 0-7");
  }

  @Test
  void numVfsAboveTotal() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    pfs:
                      - address: "0000:05:00.0"
                        vendor: "8086"
                        device: "1521"
                        driver: igb
                        netdev: eth5
                        totalVfs: 7
                        numVfs: 8
                    """))
        .hasMessage(
            "topology "
                + file()
                + ": pfs[0]: topology: PF 0000:05:00.0: numVfs 8 must be between"
                + " 0 and totalVfs 7");
  }

  @Test
  void networkPfNeedsANetdev() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    pfs:
                      - address: "0000:05:00.0"
                        vendor: "8086"
                        device: "1521"
                        driver: igb
                    """))
        .hasMessageEndingWith("topology: PF 0000:05:00.0: a network PF needs a netdev name");
  }

  @Test
  void duplicatePf() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    pfs:
                      - {address: "0000:05:00.0", vendor: "8086", device: "1521", driver: igb, netdev: a}
                      - {address: "0000:05:00.0", vendor: "8086", device: "1521", driver: igb, netdev: b}
                    """))
        .hasMessageEndingWith("topology: PF 0000:05:00.0 listed twice");
  }

  @Test
  void overlappingVfRangesAreRefusedWhenBuilding() throws Exception {
    Topology t =
        load(
            """
            pfs:
              - {address: "0000:05:00.0", vendor: "8086", device: "1521", driver: igb, netdev: a,
                 totalVfs: 8, firstVf: "0000:06:00.0"}
              - {address: "0000:05:00.1", vendor: "8086", device: "1521", driver: igb, netdev: b,
                 totalVfs: 8, firstVf: "0000:06:00.4"}
            """);
    assertThatThrownBy(() -> SimulatedNode.create(dir.resolve("node"), t))
        .hasMessage("topology: VF address ranges overlap each other or a PF; set firstVf");
  }

  @Test
  void badClass() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    pfs:
                      - {address: "0000:05:00.0", vendor: "8086", device: "1521", driver: igb,
                         netdev: a, class: "network"}
                    """))
        .hasMessageEndingWith(
            "topology: PF 0000:05:00.0: class \"network\" must look like 0x020000");
  }

  @Test
  void notYaml() {
    assertThatThrownBy(() -> load("pfs: [\n"))
        .hasMessageStartingWith("topology " + file() + ": pfs: while parsing a flow node");
  }

  @Test
  void emptyFile() {
    assertThatThrownBy(() -> load("")).hasMessage("topology " + file() + ": empty file");
  }
}
