package io.sriov.daemon.apply;

import static io.sriov.daemon.testing.NodeFixture.E810_0;
import static io.sriov.daemon.testing.NodeFixture.group;
import static io.sriov.daemon.testing.NodeFixture.pf;
import static io.sriov.daemon.testing.NodeFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.daemon.observe.ObservedPf;
import io.sriov.daemon.testing.NodeFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplierTest {
  @TempDir Path dir;

  @Test
  void appliesVfCountDriversMtuAndMacs() {
    NodeFixture f = new NodeFixture(dir);
    ApplyReport report =
        f.apply(
            spec(
                pf(
                    E810_0,
                    8,
                    9000,
                    "",
                    group("net", "netdevice", "0-5", 9000),
                    group("dpdk", "vfio-pci", "6-7"))));
    System.out.println(report.render());
    assertThat(report.succeeded()).isTrue();
    ObservedPf pf = f.observe().pf(E810_0).orElseThrow();
    assertThat(pf.numVfs()).isEqualTo(8);
    assertThat(pf.mtu()).contains(9000);
    System.out.println(
        f.plan(
                spec(
                    pf(
                        E810_0,
                        8,
                        9000,
                        "",
                        group("net", "netdevice", "0-5", 9000),
                        group("dpdk", "vfio-pci", "6-7"))))
            .render());
  }
}
