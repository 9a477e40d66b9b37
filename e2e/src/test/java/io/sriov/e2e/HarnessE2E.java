package io.sriov.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sriov.e2e.harness.GuestRun;
import io.sriov.e2e.harness.SriovVm;
import io.sriov.e2e.harness.TestVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The harness itself, in one boot: what a command inside the guest gets and gives back. */
class HarnessE2E {

  private static final String PROBE = "/etc/sriov-e2e-probe-" + ProcessHandle.current().pid();

  private static SriovVm vm;
  private static GuestRun run;

  @BeforeAll
  static void boot() throws Exception {
    vm = TestVm.require();
    String script =
        String.join(
            "\n",
            "echo to-stdout; echo to-stderr >&2",
            "echo \"$GREETING\" > \"$SRIOV_E2E_OUT/env\"",
            "pwd > \"$SRIOV_E2E_OUT/cwd\"",
            "id -u > \"$SRIOV_E2E_OUT/uid\"",
            "uname -r > \"$SRIOV_E2E_OUT/uname\"",
            "ls /sys/bus/pci/drivers/igb | grep -c '^0000:' > \"$SRIOV_E2E_OUT/igb-pfs\"",
            "cut -d' ' -f1 /proc/modules | sort > \"$SRIOV_E2E_OUT/modules\"",
            "echo \"bonds=[$(cat /sys/class/net/bonding_masters)]\" > \"$SRIOV_E2E_OUT/bonds\"",
            "ls /sys/class/iommu > \"$SRIOV_E2E_OUT/iommu\"",
            "touch " + PROBE + " && echo yes > \"$SRIOV_E2E_OUT/root-writable\"",
            "for d in /tmp /run /var/lib/cni; do echo \"$d $(stat -f -c %T $d)\"; done"
                + " > \"$SRIOV_E2E_OUT/fs\"",
            "ip netns add probe && ip netns list > \"$SRIOV_E2E_OUT/netns\"",
            "exit 7");
    run =
        vm.run(
            TestVm.request("harness", List.of("bash", "-c", script))
                .withPfs(1)
                .withEnv("GREETING", "hello guest")
                .withTimeout(Duration.ofMinutes(5)));
  }

  @Test
  void exitStatusAndOutputComeBack() {
    assertThat(run.exitCode()).as(run.diagnostics()).isEqualTo(7);
    assertThat(run.stdout()).isEqualTo("to-stdout\n");
    assertThat(run.stderr()).isEqualTo("to-stderr\n");
  }

  @Test
  void commandRunsAsRootInTheRepositoryWithItsEnvironment() {
    assertThat(run.text("uid")).as(run.diagnostics()).contains("0");
    assertThat(run.text("cwd")).contains(TestVm.repositoryRoot().toString());
    assertThat(run.text("env")).contains("hello guest");
  }

  @Test
  void guestRunsTheBackportsKernelWithTheRequestedPfsAndModules() {
    assertThat(run.text("uname").orElseThrow()).as(run.diagnostics()).matches("6\\.12\\..*");
    assertThat(run.text("igb-pfs")).contains("1");
    assertThat(run.text("modules").orElseThrow().lines())
        .contains("igb", "igbvf", "bonding", "8021q", "vfio_pci");
    // bonding loaded with max_bonds=0: no default bond0 in the way
    assertThat(run.text("bonds")).contains("bonds=[]");
    assertThat(run.text("iommu").orElseThrow()).startsWith("dmar");
  }

  @Test
  void guestRootIsWritableButTheHostIsUntouched() {
    assertThat(run.text("root-writable")).as(run.diagnostics()).contains("yes");
    assertThat(Files.exists(Path.of(PROBE))).isFalse();
    assertThat(run.text("fs").orElseThrow().lines())
        .containsExactly("/tmp overlayfs", "/run tmpfs", "/var/lib/cni tmpfs");
    assertThat(run.text("netns")).contains("probe");
  }

  @Test
  void aGuestPastItsTimeoutIsPoweredOff() throws Exception {
    GuestRun late =
        vm.run(
            TestVm.request("harness-timeout", List.of("sleep", "600"))
                .withPfs(0)
                .withTimeout(Duration.ofSeconds(2)));
    assertThat(late.timedOut()).as(late.diagnostics()).isTrue();
    assertThat(late.elapsed()).isLessThan(Duration.ofSeconds(60));
    assertThat(late.text("run-in-guest.log").orElseThrow()).contains("timed out after 2s");
  }
}
