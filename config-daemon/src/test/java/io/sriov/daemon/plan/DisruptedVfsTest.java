package io.sriov.daemon.plan;

import static io.sriov.daemon.testing.NodeFixture.CX6;
import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.E810_1;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.core.value.PciAddress;
import io.sriov.daemon.observe.ObservedVf;
import io.sriov.daemon.ownership.OwnedPf;
import io.sriov.daemon.testing.NodeFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NodePlan#disruptedVfs()}: which existing VFs a plan takes away from their holders (the
 * drain decision's input). The node starts as the test topology says: ens1f0 4 VFs on iavf, ens1f1
 * none, ens2f0np0 2 VFs.
 */
class DisruptedVfsTest {
  @TempDir Path dir;
  NodeFixture f;

  @BeforeEach
  void setUp() {
    f = new NodeFixture(dir);
  }

  private List<PciAddress> vfs(PciAddress pf) {
    return f.observe().pf(pf).orElseThrow().vfs().stream()
        .map(ObservedVf::device)
        .map(d -> d.address())
        .toList();
  }

  @Test
  void aVfCountChangeDisruptsEveryExistingVfOfThePf() {
    List<DisruptedVf> d = f.plan(spec(pf(E810_0, 6))).disruptedVfs();
    assertThat(d).extracting(DisruptedVf::address).containsExactlyElementsOf(vfs(E810_0));
    assertThat(d).extracting(DisruptedVf::vf).containsExactly(0, 1, 2, 3);
    assertThat(d).allSatisfy(v -> assertThat(v.pf()).isEqualTo(E810_0));
    assertThat(d).extracting(DisruptedVf::step).containsOnly("numVfs 4 -> 6");
  }

  @Test
  void vfsThePlanCreatesAreHeldByNoOne() {
    NodePlan plan = f.plan(spec(pf(E810_1, 2, group("r", "vfio-pci", "0-1"))));
    assertThat(plan.hasChanges()).isTrue();
    assertThat(plan.disruptedVfs()).isEmpty();
  }

  @Test
  void aDriverChangeDisruptsOnlyTheVfsItRebinds() {
    List<DisruptedVf> d =
        f.plan(spec(pf(E810_0, 4, group("dpdk", "vfio-pci", "2-3")))).disruptedVfs();
    assertThat(d).extracting(DisruptedVf::vf).containsExactly(2, 3);
    assertThat(d)
        .extracting(DisruptedVf::address)
        .containsExactlyElementsOf(vfs(E810_0).subList(2, 4));
    assertThat(d.get(0).step()).isEqualTo("VF 2 driver iavf -> vfio-pci");
  }

  @Test
  void aVfMtuOrAdminMacChangeDisruptsItsVfOnceWithTheFirstStep() {
    List<DisruptedVf> d =
        f.plan(spec(pf(E810_0, 4, 9000, "", group("net", "netdevice", "1-1", 9000))))
            .disruptedVfs();
    assertThat(d).extracting(DisruptedVf::vf).containsExactly(1);
    assertThat(d.get(0).step()).isEqualTo("VF 1 mtu 1500 -> 9000");
  }

  @Test
  void aPfMtuRaiseDisruptsNoVf() {
    NodePlan plan = f.plan(spec(pf(E810_0, 4, 9000, "")));
    assertThat(plan.hasChanges()).isTrue();
    assertThat(plan.disruptedVfs()).isEmpty();
  }

  @Test
  void anEswitchChangeDisruptsEveryVfAndSoDoesAReset() {
    assertThat(f.plan(spec(pf(CX6, 2, 0, "switchdev"))).disruptedVfs())
        .extracting(DisruptedVf::address)
        .containsExactlyElementsOf(vfs(CX6));
    NodePlan reset =
        f.planner.plan(
            f.validate(spec()),
            f.observe(),
            Map.of(E810_0, new OwnedPf(E810_0, 1500, Optional.empty())));
    assertThat(reset.disruptedVfs())
        .extracting(DisruptedVf::address)
        .containsExactlyElementsOf(vfs(E810_0));
    assertThat(reset.disruptedVfs()).extracting(DisruptedVf::step).containsOnly("numVfs 4 -> 0");
  }
}
